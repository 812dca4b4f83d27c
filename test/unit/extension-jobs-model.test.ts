import assert from 'node:assert/strict';
import { jobIdOf, JobsModel } from '../../extension/activity/jobs-model';

describe('extension: background jobs of a session (Tool Activity)', () => {
  const ev = (type: string, threadId: string | null, payload: Record<string, unknown>) => ({ type, threadId, payload });

  it('follows a job through its transitions, only for the shown session', () => {
    const m = new JobsModel();
    m.reset('s1');
    assert.equal(m.apply(ev('orchestrator_job_queued', 's2', { jobId: 'x', jobType: 'suggest_request' })), false, 'other sessions are ignored');
    assert.equal(m.apply(ev('notification', 's1', {})), false);
    m.apply(ev('orchestrator_job_queued', 's1', { jobId: 'j1', jobType: 'suggest_request' }), 1);
    m.apply(ev('orchestrator_job_started', 's1', { jobId: 'j1', jobType: 'suggest_request' }), 2);
    m.apply(ev('orchestrator_job_progress', 's1', { jobId: 'j1', jobType: 'suggest_request', progress: { phase: 'turn_started' } }), 3);
    assert.deepEqual(m.list().map((j) => [j.jobId, j.state, j.phase]), [['j1', 'running', 'turn_started']]);
    m.apply(ev('orchestrator_job_queued', 's1', { jobId: 'j2', jobType: 'agent_instruction' }), 4);
    m.apply(ev('orchestrator_job_failed', 's1', { jobId: 'j1', jobType: 'suggest_request', error: 'turn_failed: no' }), 5);
    assert.deepEqual(m.list().map((j) => [j.jobId, j.state]), [['j2', 'queued'], ['j1', 'failed']], 'active jobs first');
    assert.equal(m.list()[1]!.error, 'turn_failed: no');
    m.reset('s2');
    assert.deepEqual(m.list(), []);
  });

  it('keeps the ten newest finished jobs', () => {
    const m = new JobsModel();
    m.reset('s');
    for (let i = 0; i < 15; i++) m.apply(ev('orchestrator_job_completed', 's', { jobId: `j${i}`, jobType: 't' }), i);
    assert.equal(m.list().length, 10);
    assert.equal(m.list()[0]!.jobId, 'j14');
  });

  it('reads the job id of a tree node', () => {
    assert.equal(jobIdOf({ kind: 'job', job: { jobId: 'j1' } }), 'j1');
    assert.equal(jobIdOf({ kind: 'turn' }), undefined);
    assert.equal(jobIdOf(undefined), undefined);
  });
});
