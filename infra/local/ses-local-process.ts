/**
 * aws-ses-v2-local in a process of its own (./ses-local.ts startSesLocalProcess starts it):
 * listens on 127.0.0.1 at the port given (0: any free one), prints `listening <port>`, and
 * stops on SIGTERM. It exits by itself when its parent is gone.
 */
import { startSesLocal } from './ses-local.js';

const ses = await startSesLocal(Number(process.argv[2] ?? 0));
process.stdout.write(`listening ${ses.port}\n`);
const stop = () => void ses.stop().finally(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
// An orphan (the parent killed) stops too: the parent's pid changes to init's.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop();
}, 1000).unref();
