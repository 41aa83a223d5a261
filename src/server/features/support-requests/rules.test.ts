import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  deskCustomerOf,
  handoffDeadline,
  handoffFieldsOf,
  initialOutcome,
  interruptedSummary,
  isGiven,
  readBackHandoff,
  redactSecrets,
  submissionRuleFields,
  summaryFlags,
  WRITE_BACK_GRACE_MS,
} from './rules.ts';

const base = { severity: 'low', summary: 'Sync fails', handoff_mode: 'internal_only' };

describe('submissionRuleFields', () => {
  test('a valid body of each mode has no rule failures', () => {
    assert.deepEqual(submissionRuleFields(base), {});
    assert.deepEqual(submissionRuleFields({ ...base, handoff_mode: 'create_external_ticket' }), {});
    assert.deepEqual(
      submissionRuleFields({
        ...base,
        handoff_mode: 'link_existing_ticket',
        external_ticket_reference: 'INC-1',
        external_ticket_url: 'https://desk.example/a/tickets/1',
      }),
      {},
    );
  });

  test('null and absent are the same: link fields sent as null are not "given" for other modes', () => {
    assert.equal(isGiven(null), false);
    assert.equal(isGiven(undefined), false);
    assert.equal(isGiven(''), true);
    for (const mode of ['internal_only', 'create_external_ticket']) {
      assert.deepEqual(
        submissionRuleFields({
          ...base,
          handoff_mode: mode,
          external_ticket_reference: null,
          external_ticket_url: null,
        }),
        {},
      );
    }
  });

  test('link fields given for another mode are refused, even empty strings', () => {
    for (const mode of ['internal_only', 'create_external_ticket']) {
      const fields = submissionRuleFields({
        ...base,
        handoff_mode: mode,
        external_ticket_reference: '',
        external_ticket_url: 'https://x.example',
      });
      assert.deepEqual(Object.keys(fields).sort(), ['external_ticket_reference', 'external_ticket_url']);
    }
  });

  test('link_existing_ticket needs a non-blank reference and an absolute http(s) URL', () => {
    const link = { ...base, handoff_mode: 'link_existing_ticket' };
    assert.ok(submissionRuleFields(link).external_ticket_reference);
    assert.ok(submissionRuleFields({ ...link, external_ticket_reference: null }).external_ticket_reference);
    assert.ok(submissionRuleFields({ ...link, external_ticket_reference: ' \t ' }).external_ticket_reference);
    for (const url of [
      'ftp://x.example/1',
      'javascript:alert(1)',
      '/relative',
      'desk.example/1',
      'mailto:a@b.c',
      'http://',
    ]) {
      const fields = submissionRuleFields({
        ...link,
        external_ticket_reference: 'A',
        external_ticket_url: url,
      });
      assert.ok(fields.external_ticket_url, url);
    }
    for (const url of ['http://desk.example', 'HTTPS://Desk.Example/a/tickets/1?x=1#y']) {
      assert.deepEqual(
        submissionRuleFields({ ...link, external_ticket_reference: 'A', external_ticket_url: url }),
        {},
      );
    }
  });

  test('a NUL character anywhere in any text is refused, and a blank summary too', () => {
    for (const field of ['summary', 'reproduction_notes', 'contact_name', 'contact_email']) {
      assert.ok(submissionRuleFields({ ...base, [field]: 'a\u0000b' })[field], field);
    }
    const link = { ...base, handoff_mode: 'link_existing_ticket' };
    assert.ok(
      submissionRuleFields({ ...link, external_ticket_reference: 'A\u0000' }).external_ticket_reference,
    );
    assert.ok(
      submissionRuleFields({
        ...link,
        external_ticket_reference: 'A',
        external_ticket_url: 'https://x.example/\u0000',
      }).external_ticket_url,
    );
    assert.ok(submissionRuleFields({ ...base, summary: '  \n ' }).summary);
  });

  test('bodies that are not objects are left to the schema', () => {
    assert.deepEqual(submissionRuleFields(null), {});
    assert.deepEqual(submissionRuleFields([1]), {});
    assert.deepEqual(submissionRuleFields('x'), {});
  });
});

describe('references, outcomes and read-back', () => {
  test('a desk customer is the stored text trimmed; blanks or nothing are none', () => {
    assert.equal(deskCustomerOf('  42 '), '42');
    assert.equal(deskCustomerOf('   '), null);
    assert.equal(deskCustomerOf(''), null);
    assert.equal(deskCustomerOf(null), null);
  });

  test('only create_external_ticket starts without an outcome', () => {
    assert.equal(initialOutcome('internal_only'), 'internal_only');
    assert.equal(initialOutcome('link_existing_ticket'), 'external_ticket_linked');
    assert.equal(initialOutcome('create_external_ticket'), null);
  });

  test('a created ticket keeps reference and URL; a failure has none and a non-empty summary', () => {
    assert.deepEqual(handoffFieldsOf({ kind: 'created', reference: 'T-1', url: null }, []), {
      handoffOutcome: 'external_ticket_created',
      externalTicketReference: 'T-1',
      externalTicketUrl: null,
      failureSummary: null,
    });
    const failed = handoffFieldsOf({ kind: 'failed', summary: '  ' }, []);
    assert.equal(failed.handoffOutcome, 'external_handoff_failed');
    assert.equal(failed.externalTicketReference, null);
    assert.ok(failed.failureSummary && failed.failureSummary.length > 0);
    assert.equal(
      handoffFieldsOf({ kind: 'created', reference: ' ', url: 'https://x' }, []).handoffOutcome,
      'external_handoff_failed',
    );
  });

  test('credentials never survive into a stored summary', () => {
    assert.equal(
      redactSecrets('bad token s3cr3t and s3cr3t', ['s3cr3t', null]),
      'bad token [redacted] and [redacted]',
    );
    const fields = handoffFieldsOf({ kind: 'failed', summary: 'Desk said: key tok-123 invalid' }, [
      'tok-123',
    ]);
    assert.ok(!fields.failureSummary?.includes('tok-123'));
  });

  test('a request without an outcome reads as in progress until its deadline, then as interrupted', () => {
    const started = new Date('2026-01-01T00:00:00Z');
    const deadline = handoffDeadline(started, 5000);
    assert.equal(deadline.getTime() - started.getTime(), 5000 + WRITE_BACK_GRACE_MS);
    const row = {
      internalReference: 'SR-2026-000007',
      handoffOutcome: null,
      handoffDeadlineAt: deadline,
      externalTicketReference: null,
      externalTicketUrl: null,
      failureSummary: null,
    };
    assert.equal(readBackHandoff(row, new Date(deadline.getTime() - 1)).handoffOutcome, null);
    const after = readBackHandoff(row, deadline);
    assert.equal(after.handoffOutcome, 'external_handoff_failed');
    assert.equal(after.failureSummary, interruptedSummary('SR-2026-000007'));
    assert.match(after.failureSummary ?? '', /^Handoff interrupted: .*search it for SR-2026-000007\.$/);
    const settled = {
      ...row,
      handoffOutcome: 'external_ticket_created' as const,
      externalTicketReference: 'T-9',
    };
    assert.deepEqual(
      readBackHandoff(settled, new Date(deadline.getTime() + 60_000)).externalTicketReference,
      'T-9',
    );
  });

  test('summary flags: link for created and linked, failure for failed only', () => {
    assert.deepEqual(summaryFlags('external_ticket_created'), {
      has_external_link: true,
      has_failure: false,
    });
    assert.deepEqual(summaryFlags('external_ticket_linked'), { has_external_link: true, has_failure: false });
    assert.deepEqual(summaryFlags('external_handoff_failed'), {
      has_external_link: false,
      has_failure: true,
    });
    assert.deepEqual(summaryFlags('internal_only'), { has_external_link: false, has_failure: false });
    assert.deepEqual(summaryFlags(null), { has_external_link: false, has_failure: false });
  });
});
