// Exercises sdk-harness.mjs for OfficialNodeSdkIT: echoes what it was given, fails when asked to.
import { apiKey, baseURL, checks, isPng, report } from './sdk-harness.mjs';

console.log('{"not":"the summary"}');
await report(async () => {
  checks.given = { baseURL, apiKey, png: isPng(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
    otherRunwayVariables: Object.keys(process.env).filter((k) => k.startsWith('RUNWAYML_')).sort() };
  if (baseURL.includes('fail')) throw new Error('asked to fail');
});
