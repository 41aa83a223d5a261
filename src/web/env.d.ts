// Stylesheets are bundled by vite; TypeScript only needs to know the imports exist.
declare module '*.module.css' {
  const classes: Readonly<Record<string, string>>;
  export default classes;
}
declare module '*.css';
