// Drives the workflow routes on the local stack with the official Runway Node SDK, as an app would:
// client.workflows.list / retrieve / run, client.workflowInvocations.retrieve(...).waitForTaskOutput,
// downloads every archived output by node, and records how each bad run is refused.
// Usage: RUNWAYML_BASE_URL=http://localhost:3000 RUNWAYML_API_SECRET=rr_... WORKFLOW_ID=... [WEBHOOK_URL=...]
//        node workflow-sdk.mjs
// WORKFLOW_ID is a workflow the app may run (the simulator's "Product shots" v2); NO_CEILING_ID one it may see
// but not run (no credit ceiling); HIDDEN_ID one it may not use at all. With WEBHOOK_URL every run asks for a
// webhook there (relay.callbackUrl). Prints one JSON summary line on stdout; exits 0 when every check passed.
import { createHash } from 'node:crypto';
import { APIError } from '@runwayml/sdk';
import { checks, client, download, report } from './sdk-harness.mjs';

const workflowId = process.env.WORKFLOW_ID;
const relay = process.env.WEBHOOK_URL ? { relay: { callbackUrl: process.env.WEBHOOK_URL } } : {};

/** The promise's error as {errorClass, status, type, issues}; throws when the call succeeded. */
async function refusal(call) {
  try {
    await call();
  } catch (e) {
    if (!(e instanceof APIError)) throw e;
    return { errorClass: e.constructor.name, status: e.status, type: e.error?.type ?? null,
      issues: (e.error?.issues ?? []).map((i) => ({ code: i.code, path: i.path })) };
  }
  throw new Error('the call succeeded');
}

/** Runs the workflow, waits for the invocation, downloads its outputs: {invocation, outputs: {node: [...]}}. */
async function runAndWait(promptText) {
  const run = await client.workflows.run(workflowId, {
    nodeOutputs: { [checks.promptNode]: { text: { type: 'primitive', value: promptText } } },
    ...relay,
  });
  const invocation = await client.workflowInvocations.retrieve(run.id).waitForTaskOutput({ timeout: 120_000 });
  const outputs = {};
  for (const [node, links] of Object.entries(invocation.output)) {
    outputs[node] = [];
    for (const link of links) {
      const file = await download(link, `an output of node ${node}`);
      outputs[node].push({ link, contentType: file.contentType, bytes: file.bytes.length,
        sha256: createHash('sha256').update(file.bytes).digest('hex') });
    }
  }
  return { runId: run.id, id: invocation.id, status: invocation.status, nodeErrors: invocation.nodeErrors ?? null,
    outputs };
}

await report(async () => {
  const list = await client.workflows.list();
  checks.list = list.data.map((g) => ({ name: g.name, versions: g.versions.map((v) => v.id) }));

  const workflow = await client.workflows.retrieve(workflowId);
  const nodes = workflow.graph.nodes;
  checks.retrieved = { id: workflow.id, name: workflow.name, version: workflow.version, nodes: nodes.length };
  checks.promptNode = nodes.find((n) => n.type === 'input').id;

  checks.full = await runAndWait('A red sneaker on a plinth');
  checks.partial = await runAndWait('A blue sneaker [fail:SAFETY.OUTPUT.IMAGE]');
  checks.invocationAsTask = await refusal(() => client.tasks.retrieve(checks.full.id));

  checks.hiddenRetrieve = await refusal(() => client.workflows.retrieve(process.env.HIDDEN_ID));
  checks.hiddenRun = await refusal(() => client.workflows.run(process.env.HIDDEN_ID, {}));
  checks.unknownRun = await refusal(() => client.workflows.run('00000000-0000-4000-8000-000000000000', {}));
  checks.noCeiling = await refusal(() => client.workflows.run(process.env.NO_CEILING_ID, {}));
  checks.badNodeInput = await refusal(() => client.workflows.run(workflowId, {
    nodeOutputs: { [checks.promptNode]: { text: { type: 'primitive', value: { nested: true } } } } }));
  checks.badType = await refusal(() => client.workflows.run(workflowId, {
    nodeOutputs: { [checks.promptNode]: { text: { type: 'model', uri: 'x' } } } }));
  checks.blockedUri = await refusal(() => client.workflows.run(workflowId, {
    nodeOutputs: { [checks.promptNode]: { image: { type: 'image', uri: 'https://169.254.169.254/latest/meta-data/product.png' } } } }));
  checks.unknownInvocation = await refusal(() => client.workflowInvocations.retrieve('00000000-0000-4000-8000-000000000001'));
});
