// The conformance CLI imports fs.globSync (Node 22+) for its tier-check command only; the server scenarios never
// call it. On Node 20 the import alone fails, so the CLI is given an fs module that adds a globSync that says so.
import { register } from 'node:module';
import fs from 'node:fs';

if (!fs.globSync) register('./node20-globsync-hook.mjs', import.meta.url);
