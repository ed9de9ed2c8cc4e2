function result = mcp_bridge_tests(spec)
% MCP_BRIDGE_TESTS  Run test files and return one entry per test: name, file, line, passed, message, duration_ms.
%   spec.files lists the files. In Octave each carries the file's %! blocks, parsed by the server from the text its code
%   policy checked (kind, line, code, name), so what runs is exactly what was checked, never a re-read of the file. They
%   run with the semantics of Octave's test(): %!shared variables carried from block to block, %!function blocks defined
%   where they stand and cleared after the file, %!error <pattern> / id=ID, %!warning, %!fail, %!xtest, %!testif, and
%   every block run even after a failure (test's batch mode). In MATLAB each carries its path and runs through runtests.
%   Each file's folder is on the path while its tests run, so the functions beside it are found.
  files = as_cell(spec.files);
  total = 0;
  for f = 1:numel(files)
    if isfield(files{f}, 'blocks')
      total = total + numel(as_cell(files{f}.blocks));
    else
      total = total + 1;
    end
  end
  tests = {};
  done = 0;
  for f = 1:numel(files)
    file = files{f};
    mcp_progress(done / max(total, 1), file.file);
    % Restored when this file ends, and also when a time limit or cancel interrupts it.
    restore = onCleanup(on_path(file.dir));
    if isfield(file, 'blocks')  % the server sends blocks when engine.kind is octave
      [entries, done] = run_blocks(file, done, total);
    else
      entries = mcp_bridge_tests_matlab(file);
      done = done + 1;
    end
    clear('restore');
    tests = [tests, entries];
  end
  passed = 0;
  failed = 0;
  skipped = 0;
  for k = 1:numel(tests)
    if tests{k}.skipped
      skipped = skipped + 1;
    elseif tests{k}.passed
      passed = passed + 1;
    else
      failed = failed + 1;
    end
  end
  result = struct('passed', passed, 'failed', failed, 'skipped', skipped, 'tests', {tests});
end

function c = as_cell(v)
% jsondecode gives an array of objects as a struct array (a cell when their fields differ; [] when empty).
  if iscell(v)
    c = reshape(v, 1, []);
  elseif isstruct(v)
    c = num2cell(reshape(v, 1, []));
  else
    c = {};
  end
end

function restore = on_path(dir)
% The folder on the path for the file's run, taken off again unless it was there already.
  restore = @() [];
  if isempty(dir) || strcmp(dir, pwd()) || any(strcmp(dir, strsplit(path(), pathsep())))
    return;
  end
  addpath(dir);
  restore = @() rmpath(dir);
end

function entry = make_entry(file, block, passed, message, seconds, skipped)
  if numel(message) > 2000
    message = [message(1:2000), ' [...]'];
  end
  entry = struct('name', block.name, 'file', file.file, 'line', block.line, 'passed', logical(passed), ...
    'message', strtrim(message), 'duration_ms', round(seconds * 1e6) / 1e3, 'skipped', logical(skipped));
end

function [entries, done] = run_blocks(file, done, total)
% Octave's test() semantics, block by block, with each test's own result, message and time.
  blocks = as_cell(file.blocks);
  entries = {};
  names = {};     % the %!shared variables in force
  values = {};    % and their values, carried from block to block
  defined = {};   % cleanups of the %!function blocks defined
  for b = 1:numel(blocks)
    block = blocks{b};
    % Before every block (the relay sends only the newest): after a time limit, the last one names the test that hung.
    mcp_progress(done / max(total, 1), sprintf('%s:%d %s', file.file, block.line, block.name));
    done = done + 1;
    kind = block.kind;
    code = block.code;
    started = tic;
    warnings = warning();
    switch kind
      case 'shared'
        [names, values, message] = share(code);
        if ~isempty(message)
          entries{end + 1} = make_entry(file, block, false, message, toc(started), false);
        end
      case 'function'
        [name, message] = define(['function', code]);
        if isempty(message)
          defined{end + 1} = onCleanup(@() clear(name));  % cleared after the file, or when it is interrupted
        else
          entries{end + 1} = make_entry(file, block, false, message, toc(started), false);
        end
      case {'endfunction', 'demo', ''}
        % a function's end, a demo (run by demo(), not by test()), a %!# comment
      case {'assert', 'fail', 'test', 'xtest'}
        [bug, code, fixed] = bug_id(code);
        if any(strcmp(kind, {'assert', 'fail'}))
          code = [kind, code];
        end
        [values, message] = run_code(code, names, values);
        entries{end + 1} = judge(file, block, message, strcmp(kind, 'xtest') || ~isempty(bug), bug, fixed, toc(started));
      case 'testif'
        [run, bug, fixed, code, message] = testif(code);
        if run
          [values, message] = run_code(code, names, values);
          entries{end + 1} = judge(file, block, message, ~isempty(bug), bug, fixed, toc(started));
        else
          entries{end + 1} = make_entry(file, block, false, message, toc(started), true);
        end
      case {'error', 'warning'}
        message = expect(kind, code, names, values);
        entries{end + 1} = make_entry(file, block, isempty(message), message, toc(started), false);
      otherwise
        entries{end + 1} = make_entry(file, block, false, sprintf('unknown test type "%s"', kind), toc(started), false);
    end
    warning('off', 'all');
    warning(warnings);
  end
  defined = {};  % each function's cleanup clears it
end

function entry = judge(file, block, message, expected_failure, bug, fixed, seconds)
% An %!xtest (or a test naming a bug) that fails is a known failure: skipped, not failed; one naming a fixed bug
% (<*nnn>) is a regression: failed.
  if isempty(message)
    entry = make_entry(file, block, true, '', seconds, false);
  elseif expected_failure && ~fixed
    what = 'known failure';
    if ~isempty(bug)
      what = ['known bug ', bug];
    end
    entry = make_entry(file, block, false, [what, ': ', message], seconds, true);
  elseif expected_failure
    entry = make_entry(file, block, false, ['regression of bug ', bug, ': ', message], seconds, false);
  else
    entry = make_entry(file, block, false, message, seconds, false);
  end
end

function [names, values, message] = share(code)
% %!shared a, b: the variables (the first line, comments off) start empty; the rest of the block initializes them.
  message = '';
  newline_at = find(code == char(10), 1);
  if isempty(newline_at)
    vars = code;
    code = '';
  else
    vars = code(1:newline_at - 1);
    code = code(newline_at:end);
  end
  cut = find(vars == '%' | vars == '#', 1);
  if ~isempty(cut)
    vars = vars(1:cut - 1);
  end
  names = {};
  if ~isempty(strtrim(vars))
    names = strtrim(strsplit(vars, ','));
  end
  values = cell(1, numel(names));
  if ~all(cellfun(@isvarname, names))
    message = sprintf('shared variable initialization failed: "%s" is not a list of variable names', strtrim(vars));
    names = {};
    values = {};
    return;
  end
  if ~isempty(strtrim(code))
    [values, message] = run_code(code, names, values);
    if ~isempty(message)
      message = ['shared variable initialization failed: ', message];
    end
  end
end

function [name, message] = define(code)
% A %!function block: defined as a command-line function, as test() does.
  name = '';
  message = '';
  header = strtok(code, char(10));
  open = find(header == '(', 1);
  if isempty(open)
    open = numel(header) + 1;
  end
  stop = find(header(1:open - 1) ~= ' ', 1, 'last');
  start = max([find(header(1:stop) == ' ', 1, 'last'), find(header(1:stop) == '=', 1, 'last')]);
  if isempty(start) || isempty(stop)
    message = 'test failed: missing function name';
    return;
  end
  name = header(start + 1:stop);
  try
    eval(code);
  catch err
    message = ['test failed: syntax error', char(10), err.message];
  end
end

function [values, message] = run_code(code, names, values)
% The block's code as the body of a function taking (and giving back) the shared variables, as test() runs it.
  message = '';
  runner = '__mcp_test__';  % a name test code cannot clash with (and text: MATLAB must parse this file too)
  inputs = strjoin(names, ', ');
  outputs = '';
  if ~isempty(names)
    outputs = ['[', inputs, '] = '];
  end
  try
    eval(sprintf('function %s%s(%s)\n%s\nendfunction', outputs, runner, inputs, code));
    if isempty(names)
      feval(runner);
    else
      [values{:}] = feval(runner, values{:});
    end
  catch err
    message = err.message;
    if isempty(message)
      message = 'the test stopped without a message';
    end
  end
  clear(runner);
end

function message = expect(kind, code, names, values)
% %!error / %!warning: <pattern> (a regexp on the message, "error:"/"warning:" prefix off) or id=ID; test()'s rules.
  [pattern, id, code] = get_pattern(code);
  if ~isempty(id)
    wanted = ['id=', id];
  elseif ~strcmp(pattern, '.')
    wanted = ['<', pattern, '>'];
  elseif strcmp(kind, 'warning')
    wanted = 'a warning';
  else
    wanted = 'an error';
  end
  quiet = warning('query', 'quiet');
  warning('on', 'quiet');
  lastwarn('');
  lasterr('');
  [~, message] = run_code(code, names, values);
  if strncmp(message, 'test failed: syntax error', 25)
    warning(quiet.state, 'quiet');
    return;
  end
  if isempty(message)
    if strcmp(kind, 'error')
      message = sprintf('error failed: expected %s, but got no error', wanted);
      warning(quiet.state, 'quiet');
      return;
    end
    [text, wid] = lastwarn();
    warning(quiet.state, 'quiet');
    if ~isempty(id)
      got = wid;
      mismatch = ~strcmp(wid, id);
    else
      got = trim_prefix(text, 'warning');
      mismatch = isempty(regexp(got, pattern, 'once'));
    end
    if isempty(text)
      message = sprintf('warning failed: expected %s, but got no warning', wanted);
    elseif mismatch
      message = sprintf('warning failed: expected %s, but got <%s>', wanted, got);
    else
      message = '';
    end
    return;
  end
  warning(quiet.state, 'quiet');
  [text, eid] = lasterr();
  if strcmp(kind, 'warning')
    message = sprintf('warning failed: expected warning %s, but got error <%s>', wanted, trim_prefix(text, 'error'));
    return;
  end
  if ~isempty(id)
    got = eid;
    mismatch = ~strcmp(eid, id);
  else
    got = trim_prefix(text, 'error');
    mismatch = isempty(regexp(got, pattern, 'once'));
  end
  if mismatch
    message = sprintf('error failed: expected %s, but got <%s>', wanted, got);
  else
    message = '';
  end
end

function [pattern, id, rest] = get_pattern(code)
  pattern = '.';
  id = '';
  rest = code;
  text = strtrim_left(code);
  if ~isempty(text) && text(1) == '<'
    close = find(text == '>', 1);
    if ~isempty(close)
      pattern = text(2:close - 1);
      rest = text(close + 1:end);
    end
  elseif strncmp(text, 'id=', 3)
    [id, rest] = strtok(text(4:end));
  end
end

function [bug, rest, fixed] = bug_id(code)
% <nnn> after the keyword names a known bug; <*nnn> a fixed one.
  bug = '';
  fixed = false;
  rest = code;
  text = strtrim_left(code);
  if ~isempty(text) && text(1) == '<'
    close = find(text == '>', 1);
    if ~isempty(close)
      bug = text(2:close - 1);
      if strncmp(bug, '*', 1)
        bug = bug(2:end);
        fixed = true;
      end
      rest = text(close + 1:end);
    end
  end
end

function [run, bug, fixed, code, message] = testif(code)
% %!testif HAVE_A, HAVE_B ; runtime_condition <bug>: the features (__have_feature__), then the condition, then the code.
  bug = '';
  fixed = false;
  message = '';
  newline_at = find(code == char(10), 1);
  if isempty(newline_at)
    newline_at = numel(code) + 1;
  end
  line = strtok(code(1:newline_at - 1), '#%');
  code = code(newline_at:end);
  open = find(line == '<', 1);
  if ~isempty(open)
    close = find(line(open + 1:end) == '>', 1);
    if ~isempty(close)
      bug = line(open + 1:open + close - 1);
      if strncmp(bug, '*', 1)
        bug = bug(2:end);
        fixed = true;
      end
      line = line(1:open - 1);
    end
  end
  condition = '';
  semicolon = find(line == ';', 1);
  if ~isempty(semicolon)
    condition = line(semicolon + 1:end);
    line = line(1:semicolon - 1);
  end
  features = strrep(regexp(line, '\w+', 'match'), 'HAVE_', '');
  run = feval('__have_feature__', features);
  if ~run
    message = 'skipped: missing feature';
    return;
  end
  if ~isempty(strtrim(condition))
    [~, problem] = run_code(['if ~(', condition, '), error(''mcp:skip'', ''skip''); end'], {}, {});
    if ~isempty(problem)
      run = false;
      message = 'skipped: run-time condition';
    end
  end
end

function text = trim_prefix(text, prefix)
  at = strfind(text, [prefix, ':']);
  if ~isempty(at)
    text(1:at(1) + numel(prefix)) = [];
  end
  text = strtrim(text);
end

function text = strtrim_left(text)
  text = text(find(~isspace(text), 1):end);
end
