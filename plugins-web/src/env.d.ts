// esbuild loads CSS imported by the elements as text (bin/build-web.ts), to adopt it in a shadow root.
declare module '*.css' {
  const text: string;
  export default text;
}
