/** Corpus files imported as text (`@corpus/<path>?raw`, resolved by vitest.config.ts). */
declare module "@corpus/*?raw" {
  const text: string;
  export default text;
}
