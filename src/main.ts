import './components/dream-app';
import './components/dream-stream';
import { registerServiceWorker } from './pwa';

registerServiceWorker();
