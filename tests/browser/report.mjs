// Collects the findings of every check and prints the summary: what
// failed, on which URL, and why; then one line per check with what passed.

export class Report {
  constructor() {
    this.failures = [];
    this.counts = new Map(); // check -> { checked, failed }
    this.tallies = new Map(); // check -> Map(what -> n)
  }

  // Adds n to a count of what a check looked at ('tel/sms links', …),
  // printed after the check's line in the summary.
  tally(check, what, n = 1) {
    this.#count(check);
    if (!this.tallies.has(check)) this.tallies.set(check, new Map());
    const t = this.tallies.get(check);
    t.set(what, (t.get(what) ?? 0) + n);
  }

  // One unit (a page, a page at a viewport, a build) was checked.
  checked(check, n = 1) {
    this.#count(check).checked += n;
  }

  // check: 'a11y', 'privacy', …; where: "site /path/ (extra)"; why: text.
  fail(check, where, why) {
    this.failures.push({ check, where, why });
    this.#count(check).failed += 1;
  }

  #count(check) {
    if (!this.counts.has(check)) this.counts.set(check, { checked: 0, failed: 0 });
    return this.counts.get(check);
  }

  get ok() {
    return this.failures.length === 0;
  }

  print(log = console.log) {
    if (this.failures.length > 0) {
      log('');
      log(`FAILURES (${this.failures.length}):`);
      const byCheck = new Map();
      for (const f of this.failures) {
        if (!byCheck.has(f.check)) byCheck.set(f.check, []);
        byCheck.get(f.check).push(f);
      }
      for (const [check, list] of byCheck) {
        log('');
        log(`[${check}] ${list.length} failure(s)`);
        for (const f of list) {
          log(`  ${f.where}`);
          for (const line of String(f.why).split('\n')) log(`      ${line}`);
        }
      }
    }
    log('');
    log('Summary:');
    for (const [check, { checked, failed }] of this.counts) {
      const status = failed === 0 ? 'ok  ' : 'FAIL';
      log(`  ${status} ${check.padEnd(10)} ${checked} checked, ${failed} failure(s)`);
      const t = this.tallies.get(check);
      if (t) log(`       ${''.padEnd(10)} (${[...t].map(([what, n]) => `${n} ${what}`).join(', ')})`);
    }
  }
}
