// Prints one plain closing line, `tests: N passed, N failed, N skipped`, after jest's own summary,
// so that any reader of the log (CI included) sees the counts in a fixed form.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
