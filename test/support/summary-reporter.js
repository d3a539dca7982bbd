// Prints one plain closing line, `tests: N passed, N failed, N skipped`, after everything jest
// prints, so that any reader of the log (CI included) finds the counts last, in a fixed form.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`;
    process.once('exit', () => process.stderr.write(line));
  }
}
module.exports = SummaryReporter;
