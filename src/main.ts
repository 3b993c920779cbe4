import './components/dream-app';
import './components/dream-stream';
