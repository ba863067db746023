import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { lectureModel } from './models.js';
import { testServer } from './test-server.test-helper.js';

const { base } = testServer(() => ({
  models: new Map([['lecture', lectureModel()]]),
  bodyLimit: 200,
}));

const body = JSON.stringify({
  inputs: [{ name: 'input', shape: [1, 2], datatype: 'FP64', data: [-7, -3] }],
});
const head = (headers: string) =>
  `POST /v2/models/lecture/infer HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\n${headers}\r\n`;

/** Sends a request in these pieces on a new connection, a pause between them; the status and JSON answer. */
async function send(...pieces: string[]): Promise<{ status: number; body: unknown }> {
  const { hostname, port } = new URL(base());
  const socket = connect(Number(port), hostname);
  socket.on('error', () => {}); // the server may close while we still write
  for (const [i, piece] of pieces.entries()) {
    if (i > 0) await sleep(30);
    socket.write(piece);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of socket) chunks.push(chunk as Buffer);
  const [status, answer] = Buffer.concat(chunks).toString().split('\r\n\r\n', 2) as [
    string,
    string,
  ];
  return { status: Number(status.split(' ')[1]), body: JSON.parse(answer) };
}

const predicted = { status: 200, body: expect.objectContaining({ model_name: 'lecture' }) };

describe('a JSON body is read whichever way it arrives', () => {
  it('with its headers, in one packet', async () => {
    expect(await send(head(`Content-Length: ${body.length}\r\n`) + body)).toEqual(predicted);
  });

  it('after its headers, in pieces', async () => {
    const [first, second] = [body.slice(0, 30), body.slice(30)];
    expect(await send(head(`Content-Length: ${body.length}\r\n`), first, second)).toEqual(
      predicted,
    );
  });

  it('partly with its headers, the rest later', async () => {
    const [first, second] = [body.slice(0, 30), body.slice(30)];
    expect(await send(head(`Content-Length: ${body.length}\r\n`) + first, second)).toEqual(
      predicted,
    );
  });

  it('in chunks, with no length', async () => {
    const chunk = (text: string) => `${text.length.toString(16)}\r\n${text}\r\n`;
    const chunked = chunk(body.slice(0, 40)) + chunk(body.slice(40)) + '0\r\n\r\n';
    expect(await send(head('Transfer-Encoding: chunked\r\n') + chunked)).toEqual(predicted);
  });

  it('is refused over the limit (413), with its headers or after them', async () => {
    const large = JSON.stringify({ id: 'x'.repeat(200), inputs: [] });
    const refused = (error: string) => ({ status: 413, body: { error } });
    const declared = refused(
      `the body (${large.length} bytes) is over this server's limit of 200B`,
    );
    expect(await send(head(`Content-Length: ${large.length}\r\n`) + large)).toEqual(declared);
    expect(await send(head(`Content-Length: ${large.length}\r\n`), large)).toEqual(declared);
    const chunked = `${large.length.toString(16)}\r\n${large}\r\n0\r\n\r\n`;
    expect(await send(head('Transfer-Encoding: chunked\r\n'), chunked)).toEqual(
      refused("the body is over this server's limit of 200B"),
    );
  });

  it('is a 400 when the packet holds invalid JSON', async () => {
    const broken = body.slice(0, -2);
    expect(await send(head(`Content-Length: ${broken.length}\r\n`) + broken)).toEqual({
      status: 400,
      body: { error: 'the body is not valid JSON' },
    });
  });
});
