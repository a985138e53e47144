// The page's entry point (bundled by esbuild into app.js: scripts/build/dashboard.ts at
// `npm install`, scripts/build at `npm run build`): React draws the App into #root.
/// <reference lib="dom" />
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';

createRoot(document.getElementById('root')!).render(<App />);
