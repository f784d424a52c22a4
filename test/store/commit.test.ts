import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Committer } from '../../src/store/commit.js';
import { openDatabases } from '../../src/store/layout.js';
import { captureLog } from '../support/capture-log.js';
import { withTempFolder } from './store-fixtures.js';

describe('Committer', () => {
  it('undoes only the work that throws among works committed together, and commits the others in order', () =>
    withTempFolder(async (path) => {
      const dbs = openDatabases(path);
      try {
        const { commit } = new Committer(dbs, captureLog().log, Date.now);
        // Issued in one turn: lmdb runs them in one write transaction.
        const first = commit(() => {
          dbs.meta.put('first', 1);
          return 'first';
        });
        const failing = commit(() => {
          dbs.meta.put('failing', 1);
          throw new Error('this work fails');
        });
        const last = commit(() => {
          dbs.meta.put('last', (dbs.meta.get('first') ?? 0) + 1);
          return 'last';
        });
        assert.equal(await first, 'first');
        await assert.rejects(failing, /this work fails/);
        assert.equal(await last, 'last');
        assert.equal(dbs.meta.get('first'), 1);
        assert.equal(dbs.meta.get('failing'), undefined);
        assert.equal(dbs.meta.get('last'), 2, 'the last work saw the first one\'s write');
        // And the committer goes on committing.
        await commit(() => dbs.meta.put('after', 1));
        assert.equal(dbs.meta.get('after'), 1);
      } finally {
        await dbs.env.close();
      }
    }));
});
