import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openStackStore } from '../src/store/lmdb-stack-store.js';
import { freePort } from '../test/support/fake-sampler.js';
import { startServer } from '../test/support/server-process.js';
import { interleavedMedians } from './measure.js';
import { report } from './report.js';
import { answerCost, askHttp, askServer, DAY, SECRET, tempFolder } from './workload-server.js';
import { hostWorkload } from './workload.js';

/** Where Debian's clickhouse-server package puts the server (it is not on a normal user's PATH). */
const CANDIDATES = ['/usr/sbin/clickhouse-server', '/usr/bin/clickhouse-server'];

function findClickHouse(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v clickhouse-server'], { encoding: 'utf8' }).stdout.trim();
  return found || CANDIDATES.find((candidate) => existsSync(candidate)) || null;
}

interface ClickHouse {
  pid: number;
  query(sql: string, body?: string): Promise<string>;
  stop(): Promise<void>;
}

/** ClickHouse on loopback, with its own config, data and logs in `folder`; nothing of the machine's own setup is used. */
async function startClickHouse(binary: string, folder: string): Promise<ClickHouse> {
  const [httpPort, tcpPort] = [await freePort(), await freePort()];
  for (const sub of ['data', 'tmp', 'user_files', 'format_schemas', 'log']) mkdirSync(path.join(folder, sub), { recursive: true });
  writeFileSync(
    path.join(folder, 'users.xml'),
    `<yandex>
  <profiles><default><max_threads>2</max_threads></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>\n`,
  );
  writeFileSync(
    path.join(folder, 'config.xml'),
    `<yandex>
  <logger><level>warning</level><log>${folder}/log/server.log</log><errorlog>${folder}/log/error.log</errorlog></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <path>${folder}/data/</path>
  <tmp_path>${folder}/tmp/</tmp_path>
  <user_files_path>${folder}/user_files/</user_files_path>
  <format_schema_path>${folder}/format_schemas/</format_schema_path>
  <users_config>${folder}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
</yandex>\n`,
  );
  const child: ChildProcess = spawn(binary, [`--config-file=${path.join(folder, 'config.xml')}`], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const origin = `http://127.0.0.1:${httpPort}`;
  // Through the same client as our server's answers, so both are read alike.
  const query = async (sql: string, body?: string) =>
    (await askHttp(origin, 'POST', body === undefined ? '/' : `/?query=${encodeURIComponent(sql)}`, body ?? sql).catch((error: Error) => {
      throw new Error(`ClickHouse: ${error.message}`);
    })).toString();
  for (let attempt = 0; ; attempt++) {
    try {
      await query('SELECT 1');
      break;
    } catch (error) {
      if (attempt > 300 || child.exitCode !== null) throw new Error(`ClickHouse did not start (see ${folder}/log): ${String(error)}`);
      await sleep(100);
    }
  }
  return {
    pid: child.pid!,
    query,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** TabSeparated escaping: stack strings are data and may hold any character. */
function tsv(text: string): string {
  return text.replace(/[\\\t\n]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : '\\n'));
}

/** Rounds of every range's three asks before any is measured. */
const WARM_UP_ROUNDS = 50;

/**
 * Issue 12: the same day of one host (a collection a minute, the W2 host's
 * workload) in our store and in ClickHouse, the table a team would build
 * instead: facts (host, time, stack_id, count) ordered by host and time,
 * each stack string once in a dictionary table. Both are asked over HTTP
 * on loopback for the same absolute ranges: ClickHouse for flat sums per
 * stack joined to the strings, we for the pruned flame tree, in its tree
 * form and in the compact form the page asks for.
 */
export async function clickHouseComparison(runs: number): Promise<void> {
  const binary = findClickHouse();
  if (binary === null) {
    console.error('ClickHouse comparison skipped: clickhouse-server not found (Debian: apt-get install clickhouse-server)');
    return;
  }
  console.error(`ClickHouse comparison: one host, one day, a collection every 60 s (${binary})`);
  const host = hostWorkload('ch', 42);
  const ids = new Map(host.vocabulary.map((stack, id) => [stack, id]));
  const end = Math.floor(Date.now() / 1000);
  const times = Array.from({ length: DAY / 60 }, (_, i) => end - DAY + (i + 1) * 60);
  const ours = tempFolder('ch-ours');
  const store = openStackStore({ path: ours, retentionSeconds: 2 * DAY, maintenanceIntervalMs: 0 });
  const facts: string[] = [];
  for (const time of times) {
    const collection = host.nextCollection();
    await store.write(host.name, time, collection);
    for (const [stack, count] of collection) facts.push(`${host.name}\t${time}\t${ids.get(stack)}\t${count}`);
  }
  await store.maintain();
  await store.close();

  const clickHouse = await startClickHouse(binary, tempFolder('clickhouse'));
  // No kept answers: ClickHouse works each query out, so ours must too.
  const server = await startServer(`retention = 2d\n[collector]\nsecret_header = ${SECRET}\nhosts = ch=127.0.0.1:9\ninterval = 86400\n[store]\nanswer_cache = 0\n`, { dbpath: ours, built: true });
  try {
    await clickHouse.query('CREATE TABLE facts (host String, time DateTime, stack_id UInt32, count UInt32) ENGINE = MergeTree ORDER BY (host, time)');
    await clickHouse.query('CREATE TABLE stacks (stack_id UInt32, stack String) ENGINE = MergeTree ORDER BY stack_id');
    await clickHouse.query('INSERT INTO stacks FORMAT TabSeparated', host.vocabulary.map((stack, id) => `${id}\t${tsv(stack)}\n`).join(''));
    await clickHouse.query('INSERT INTO facts FORMAT TabSeparated', `${facts.join('\n')}\n`);
    await clickHouse.query('OPTIMIZE TABLE facts FINAL');
    console.error(`  ${facts.length.toLocaleString('en-US')} facts, ${host.vocabulary.length} stack strings in each`);
    const theirTotal = Number(await clickHouse.query(`SELECT sum(count) FROM facts WHERE host = 'ch'`));
    const ourTotal = ((await (await fetch(`${server.url}/profile/ch/?from=${end - DAY}&until=${end}`)).json()) as { value: number }).value;
    if (theirTotal !== ourTotal) throw new Error(`the two stores disagree on the day's samples: ClickHouse ${theirTotal}, ours ${ourTotal}`);
    const ranges = ([['5m', 300], ['1h', 3600], ['24h', DAY]] as const).map(([range, seconds]) => {
      const from = end - seconds;
      const sql =
        `SELECT stack, total FROM (SELECT stack_id, sum(count) AS total FROM facts WHERE host = 'ch' AND time BETWEEN toDateTime(${from}) AND toDateTime(${end}) GROUP BY stack_id) ` +
        'ANY INNER JOIN stacks USING stack_id FORMAT JSONCompact';
      const route = `/profile/ch/?from=${from}&until=${end}`;
      // Each with its server's CPU time.
      const asks = [
        () => answerCost(clickHouse.pid, () => clickHouse.query(sql)),
        () => answerCost(server.child.pid!, () => askServer(server, route)),
        () => answerCost(server.child.pid!, () => askServer(server, `${route}&format=compact`)),
      ];
      return { range, asks };
    });
    // Both servers in service, not just started: a fresh Node process spends its first hundred or so answers
    // compiling (bench/fresh-server.ts), which a server answering a fleet's questions has long done.
    for (let round = 0; round < WARM_UP_ROUNDS; round++) for (const { asks } of ranges) for (const ask of asks) await ask();
    for (const { range, asks } of ranges) {
      // Asked in turn, so the machine's load falls on the three alike.
      const [[clickHouseMs, clickHouseCpuMs], [treeMs, treeCpuMs], [compactMs, compactCpuMs]] = await interleavedMedians(runs, asks);
      report(`one host, last ${range}: ClickHouse flat sums joined to names`, clickHouseMs, 'ms', null);
      report(`one host, last ${range}: our /profile (pruned tree)`, treeMs, 'ms', clickHouseMs);
      report(`one host, last ${range}: our /profile, format=compact (the same tree)`, compactMs, 'ms', clickHouseMs);
      report(`one host, last ${range}: CPU per answer, ClickHouse`, clickHouseCpuMs, 'ms', null);
      report(`one host, last ${range}: CPU per answer, ours (tree)`, treeCpuMs, 'ms', null);
      report(`one host, last ${range}: CPU per answer, ours (compact)`, compactCpuMs, 'ms', null);
    }
  } finally {
    await server.stop();
    await clickHouse.stop();
  }
}
