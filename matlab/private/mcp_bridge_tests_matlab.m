function entries = mcp_bridge_tests_matlab(file)
% MCP_BRIDGE_TESTS_MATLAB  MATLAB's side of run_tests: runtests on one file (script-, function- or class-based tests),
%   each TestResult mapped to mcp_bridge_tests' entry (name, file, line, passed, message, duration_ms, skipped); a test
%   left incomplete (an assumption failed) is skipped. Not run on our machines, which have no MATLAB.
  entries = {};
  try
    % Quiet (the runner's progress text would fill the output) but with the diagnostics that become the messages.
    runner = matlab.unittest.TestRunner.withNoPlugins;
    runner.addPlugin(matlab.unittest.plugins.DiagnosticsRecordingPlugin);
    results = runner.run(testsuite(file.path));
  catch
    results = runtests(file.path);
  end
  for k = 1:numel(results)
    r = results(k);
    message = '';
    if r.Failed || r.Incomplete
      try
        records = r.Details.DiagnosticRecord;
        parts = cell(1, numel(records));
        for d = 1:numel(records)
          parts{d} = records(d).Report;
        end
        message = strjoin(parts, char(10));
      catch
        message = 'failed (no diagnostic recorded)';
      end
    end
    if numel(message) > 2000
      message = [message(1:2000), ' [...]'];
    end
    % No line: the server finds the test's function (or %% section) in the file's text.
    entries{end + 1} = struct('name', r.Name, 'file', file.file, 'line', 0, 'passed', logical(r.Passed), ...
      'message', strtrim(message), 'duration_ms', round(r.Duration * 1e6) / 1e3, 'skipped', logical(r.Incomplete && ~r.Failed));
  end
end
