// graphql-ws publishes its WebSocket adapter only through package.json "exports", which this repository's
// TypeScript "node" module resolution does not read; point the types at the file the export names.
declare module 'graphql-ws/use/ws' {
  export * from 'graphql-ws/dist/use/ws';
}
