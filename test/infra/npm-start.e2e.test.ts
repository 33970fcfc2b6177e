/**
 * `npm start` as a user runs it: the local stack comes up with demo data, the health page
 * answers, a restart on the same data adds nothing, and a signal leaves no process behind.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../infra/local/free-port.js';
import { isAlive } from '../support/process-alive.js';

// A folder standing in for a fresh clone's root: data in <root>/.local, as the README says.
const root = mkdtempSync(join(tmpdir(), 'convene-start-'));
const dataDir = join(root, '.local');
const started: ChildProcess[] = [];
const javaPids: number[] = [];
// Also when a test failed half-way: stop `npm start` gracefully (it stops its Java child), and
// kill that child by pid if it is still there; a SIGKILL alone would orphan it.
afterAll(async () => {
  for (const child of started) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  for (const pid of javaPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone, as it should be
    }
  }
  rmSync(root, { recursive: true, force: true });
});


async function start() {
  const ports = { web: await freePort(), dynamodb: await freePort(), ses: await freePort(), s3: await freePort() };
  // The same entry point as `npm start`, in one process so that its pid is the one we signal.
  const child = spawn(process.execPath, ['--openssl-legacy-provider', '--import', 'tsx', 'infra/local/start.ts'], {
    env: {
      ...process.env,
      CONVENE_DATA_DIR: dataDir,
      CONVENE_PORT: String(ports.web),
      CONVENE_DYNAMODB_PORT: String(ports.dynamodb),
      CONVENE_SES_PORT: String(ports.ses),
      CONVENE_S3_PORT: String(ports.s3),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up:\n${output}`)), 60_000);
    child.stdout!.on('data', () => {
      if (output.includes('Press Ctrl-C')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
  const javaPid = Number(/\(pid (\d+)\)/.exec(output)?.[1]);
  javaPids.push(javaPid);
  const newEvents = Number(/demo data\s+(\d+) new events/.exec(output)?.[1]);
  const stop = async (signal: NodeJS.Signals) => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill(signal);
    return exited;
  };
  return { web: `http://127.0.0.1:${ports.web}`, ports, javaPid, newEvents, stop, output: () => output };
}

describe('npm start', () => {
  it('brings the stack up with demo data, restarts without duplicating it, and leaves nothing behind', async () => {
    const first = await start();
    expect(first.newEvents).toBeGreaterThan(0);
    expect(isAlive(first.javaPid)).toBe(true);

    const health = await fetch(`${first.web}/health`);
    expect(health.status).toBe(200);
    const report = (await health.json()) as { status: string; services: Record<string, { ok: boolean }>; tables: Record<string, { items?: number }> };
    expect(report.status).toBe('ok');
    expect(Object.values(report.services).every((s) => s.ok)).toBe(true);
    expect(report.tables.Events?.items).toBe(first.newEvents);

    const page = await (await fetch(`${first.web}/`)).text();
    expect(page).toContain('Understanding Change through Training for Gender Equality');
    // The seed's weekdays: the live webinar on Wednesday 3 May (2028).
    expect(page).toContain('Wednesday 3 May 2028, 10:00 America/New_York = 2028-05-03T14:00:00.000Z');
    expect(page).toContain('Care Economy Lecture Series');

    // The printed series page opens as a page; each demo member's printed page link opens their page, in their language.
    const seriesPage = /series pages\s+(\S+)/.exec(first.output())![1]!;
    const seriesAnswer = await fetch(seriesPage, { headers: { accept: 'text/html' } });
    expect(seriesAnswer.status).toBe(200);
    expect(await seriesAnswer.text()).toContain('Wednesday, 3 May 2028, 10:00–11:00 (America/New_York, UTC-04:00)');
    const ramallah = /Ramallah\s+salma\.khalil@example\.org\s+(\S+)/.exec(first.output())![1]!;
    const memberPage = await fetch(ramallah, { headers: { accept: 'text/html' } });
    expect(memberPage.status).toBe(200);
    expect(await memberPage.text()).toMatch(/<html lang="ar" dir="rtl">[\s\S]*Understanding Change through Training for Gender Equality/);

    expect(await first.stop('SIGINT')).toBe(0);
    expect(first.output()).toContain('no process left behind');
    expect(isAlive(first.javaPid)).toBe(false);

    const second = await start();
    expect(second.newEvents).toBe(0);
    const again = (await (await fetch(`${second.web}/health`)).json()) as { tables: Record<string, { items?: number }> };
    expect(again.tables.Events?.items).toBe(first.newEvents);
    // The README's curl examples, as written, against this stack.
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = /<!-- readme-curl-examples[^>]*-->\s*```sh\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block, 'the README has its curl examples block').toBeDefined();
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('bash', ['-euo', 'pipefail', '-c', block!], { cwd: root, env: { ...process.env, CONVENE_URL: second.web } }, (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('"status":"cancelled"');
    expect(run.stdout).toContain('"localStart":"2027-05-04T11:00:00-04:00"');
    expect(run.stdout).toContain('"type":"SessionCancelled"');
    // asOf before the changes: the webinar still at its first time, not cancelled.
    expect(run.stdout).toContain('"localStart":"2027-05-03T10:00:00-04:00"');
    expect(readFileSync(join(dataDir, 'organiser.token'), 'utf8').trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

    // The projector follows the event stream: the README's new series gets its read model too.
    // 8 streams (7 demo + the README's series) give 21 documents: one per stream, a roster
    // entry for each of the 5 demo members in each of the 2 demo series, a timetable per series;
    // plus up to 8 mail-queue items (one per changed stream) until the dispatcher's tick takes them.
    // `npm run rebuild` replays the same 8 streams into the same documents.
    const readModelItems = async () =>
      ((await (await fetch(`${second.web}/health`)).json()) as { tables: Record<string, { items?: number }> }).tables.ReadModels?.items ?? 0;
    const settled = (n: number) => n >= 21 && n <= 29;
    for (let i = 0; i < 50 && !settled(await readModelItems()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(settled(await readModelItems()), String(await readModelItems())).toBe(true);
    const rebuild = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'infra/local/rebuild.ts'], { env: { ...process.env, CONVENE_DYNAMODB_PORT: String(second.ports.dynamodb) } }, (error, stdout, stderr) =>
        resolve({ code: error ? 1 : 0, stdout: stdout + stderr }),
      );
    });
    expect(rebuild.code, rebuild.stdout).toBe(0);
    expect(rebuild.stdout).toMatch(/rebuilt 8 read models from 8 streams/);
    expect(settled(await readModelItems()), String(await readModelItems())).toBe(true);

    expect(await second.stop('SIGTERM')).toBe(0);
    expect(isAlive(second.javaPid)).toBe(false);
  }, 150_000);
});
