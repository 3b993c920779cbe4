import './components/dream-app';
