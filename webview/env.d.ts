// CSS imported from TypeScript is bundled by esbuild into dist/webview.css.
declare module '*.css';
