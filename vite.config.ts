import { defineConfig } from "vite";

// The client is built once (npm install runs it) into dist/client, which the server serves,
// so `npm start` is ready at once. During client work, `npm run dev:client` rebuilds on change.
export default defineConfig({
  root: "client",
  base: "./",
  build: { outDir: "../dist/client", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 600 },
  logLevel: "warn",
});
