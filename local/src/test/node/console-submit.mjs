// What the console's browser test asks of the official Runway Node SDK, as an app would do it:
//   node console-submit.mjs create "<prompt>"   creates a text_to_image task (no waiting) → {"id": ...}
//   node console-submit.mjs deliver "<prompt>" <url>  as create, with relay.deliverTo [{url}] → {"id": ...}
//   node console-submit.mjs video               creates an image_to_video task from an inline PNG (a data URI) → {"id": ...}
//   node console-submit.mjs organization        reads /v1/organization → {"status": 200} or the SDK error's status
// RUNWAYML_BASE_URL and RUNWAYML_API_SECRET as for every SDK script (sdk-harness.mjs); one JSON line on stdout.
import { APIError } from '@runwayml/sdk';
import { client } from './sdk-harness.mjs';

const PIXEL_PNG = 'data:image/png;base64,'
  + 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const [command, prompt, url] = process.argv.slice(2);
if (command === 'create') {
  const task = await client.textToImage.create({ model: 'gen4_image', promptText: prompt, ratio: '1280:720' });
  console.log(JSON.stringify({ id: task.id }));
} else if (command === 'deliver') {
  const task = await client.textToImage.create({
    model: 'gen4_image', promptText: prompt, ratio: '1280:720', relay: { deliverTo: [{ url }] },
  });
  console.log(JSON.stringify({ id: task.id }));
} else if (command === 'video') {
  const task = await client.imageToVideo.create({
    model: 'gen4_turbo', promptImage: PIXEL_PNG, promptText: 'The beam turns slowly', ratio: '1280:720', duration: 5,
  });
  console.log(JSON.stringify({ id: task.id }));
} else if (command === 'organization') {
  try {
    await client.organization.retrieve();
    console.log(JSON.stringify({ status: 200 }));
  } catch (e) {
    if (!(e instanceof APIError)) throw e;
    console.log(JSON.stringify({ status: e.status, errorClass: e.constructor.name }));
  }
} else {
  console.error('usage: node console-submit.mjs create "<prompt>" | deliver "<prompt>" <url> | video | organization');
  process.exit(2);
}
