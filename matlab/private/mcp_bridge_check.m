function result = mcp_bridge_check(request)
% MCP_BRIDGE_CHECK  Problems in code found without running it, and which of its function names are built-ins.
%   request.code is the code (data: written to a private file and parsed, never evaluated); request.name the file
%   name to give it (a function or class file's own name); request.names the functions the code defines.
%   result.issues: {struct(line, column, severity, message, id)}, columns in characters. result.builtins: the names
%   that are built-in or library functions (shipped with the engine, not the user's own files).
%   Octave: __parse_file__ parses the file and runs nothing, except for a classdef file, whose property defaults
%   it evaluates: code with the word classdef is not parsed here (result.skipped says why). MATLAB (not yet run: no MATLAB here):
%   codeIssues where it exists (R2022b+), else checkcode; both analyse without running.
%   Nothing in the base workspace changes; the warning state, lasterr and lastwarn are restored.
  isOctave = exist('OCTAVE_VERSION', 'builtin') ~= 0;
  result = struct('issues', {{}}, 'builtins', {builtinNames(request, isOctave)}, 'skipped', '');
  code = request.code;
  if isempty(code)
    return;
  end
  name = 'mcp_check';
  if isfield(request, 'name') && ischar(request.name) && isvarname(request.name)
    name = request.name;
  end
  % Any mention of the word, not only one at a line start: Octave skips a byte-order mark before classdef, and a
  % classdef anywhere else is a parse error anyway. A comment naming it costs only the parse.
  if isOctave && ~isempty(regexp(code, '\<classdef\>', 'once'))
    result.skipped = 'classdef';
    return;
  end
  folder = fileparts(mcp_bridge_scratch());
  file = fullfile(folder, [name, '.m']);
  fid = builtin('fopen', file, 'w');  % builtin: the fopen/fclose shadows are for user code
  if fid < 0
    error('mcp:check', 'cannot write the code to the engine''s private folder');
  end
  builtin('fwrite', fid, code);
  builtin('fclose', fid);
  [lastMessage, lastId] = lasterr();
  [lastWarning, lastWarningId] = lastwarn();
  warnings = warning();
  warning('off', 'all');  % e.g. Octave's "function name does not agree with the file name"
  try
    if isOctave
      result.issues = octaveIssues(file, code);
    else
      result.issues = matlabIssues(file);
    end
  catch err
    restore(file, isOctave, warnings, lastMessage, lastId, lastWarning, lastWarningId);
    rethrow(err);
  end
  restore(file, isOctave, warnings, lastMessage, lastId, lastWarning, lastWarningId);
end

function restore(file, isOctave, warnings, lastMessage, lastId, lastWarning, lastWarningId)
  warning(warnings);
  lasterr(lastMessage, lastId);
  lastwarn(lastWarning, lastWarningId);
  if isOctave
    builtin('unlink', file);  % the shadow confines unlink to the session folder
  else
    builtin('delete', file);
  end
end

function issues = octaveIssues(file, code)
% Octave stops at the first parse error: "parse error near line L of file F\n\n  what\n\n>>> text\n    ^".
% The caret counts bytes of the line; a column here counts characters.
  issues = {};
  try
    __parse_file__(file);
  catch err
    message = err.message;
    line = regexp(message, 'near line (\d+)', 'tokens', 'once');
    if ~strncmp(message, 'parse error', 11) || isempty(line)
      error('mcp:check', 'the parser failed: %s', message);
    end
    line = str2double(line{1});
    what = strtrim(regexprep(message, '^[^\n]*', '', 'once'));  % the first line names the file: dropped
    column = 0;
    caret = regexp(message, '>>> ([^\n]*)\n( *)\^', 'tokens', 'once');
    if ~isempty(caret)
      what = strtrim(regexprep(what, '\s*>>> [^\n]*\n *\^.*$', ''));
      bytes = numel(caret{2}) - 4 + 1;  % the caret line is indented past the '>>> ' prefix
      column = charColumn(code, line, bytes);
    end
    what = strrep(what, file, 'the checked code');
    if isempty(what)
      what = 'syntax error';
    end
    issues = {struct('line', line, 'column', column, 'severity', 'error', 'message', what, 'id', 'parse-error')};
  end
end

function column = charColumn(code, line, byteColumn)
% The character column of a byte column of one line (Octave strings are UTF-8 bytes; continuation bytes are 10xxxxxx).
  lines = regexp(code, '\r\n|\n|\r', 'split');
  if line < 1 || line > numel(lines)
    column = byteColumn;
    return;
  end
  bytes = double(lines{line});
  before = bytes(1:min(max(byteColumn - 1, 0), numel(bytes)));
  column = sum(bitand(before, 192) ~= 128) + 1 + max(byteColumn - 1 - numel(bytes), 0);
end

function issues = matlabIssues(file)
% codeIssues (R2022b+) gives a severity; checkcode only says "message", so its findings are warnings. NOPRT ("add a
% semicolon to suppress output") is left out: printing a value is what an agent's script usually wants.
  issues = {};
  if exist('codeIssues', 'file') ~= 0
    found = codeIssues(file);
    table = found.Issues;
    for k = 1:height(table)
      id = char(table.CheckID(k));
      if strcmp(id, 'NOPRT')
        continue;
      end
      issues{end + 1} = struct('line', double(table.LineStart(k)), 'column', double(table.ColumnStart(k)), ...
        'severity', lower(char(table.Severity(k))), 'message', char(table.Description(k)), 'id', id); %#ok<AGROW>
    end
  else
    found = checkcode(file, '-id', '-struct');
    for k = 1:numel(found)
      if strcmp(found(k).id, 'NOPRT')
        continue;
      end
      issues{end + 1} = struct('line', double(found(k).line), 'column', double(found(k).column(1)), ...
        'severity', 'warning', 'message', found(k).message, 'id', found(k).id); %#ok<AGROW>
    end
  end
end

function builtins = builtinNames(request, isOctave)
% Names that are built-in functions or functions shipped with the engine (under its installation folder). The names
% are data: each must be an identifier, and is only looked up.
  builtins = {};
  if ~isfield(request, 'names') || isempty(request.names)
    return;
  end
  names = request.names;
  if ischar(names)
    names = {names};
  end
  if isOctave
    homes = {fullfile(OCTAVE_HOME(), 'share', 'octave'), fullfile(OCTAVE_HOME(), 'lib')};
  else
    homes = {matlabroot()};
  end
  for k = 1:min(numel(names), 200)
    candidate = names{k};
    if ~ischar(candidate) || ~isvarname(candidate) || iskeyword(candidate)
      continue;
    end
    % which() of a name that is nowhere rescans the load path (~20 ms each): exist() rules those out first (~0.05 ms).
    if exist(candidate, 'builtin') == 5
      builtins{end + 1} = candidate; %#ok<AGROW>
      continue;
    end
    if exist(candidate, 'file') ~= 2
      continue;
    end
    place = which(candidate);
    shipped = strncmp(place, 'built-in', 8);
    for h = 1:numel(homes)
      shipped = shipped || strncmp(place, homes{h}, numel(homes{h}));
    end
    if shipped
      builtins{end + 1} = candidate; %#ok<AGROW>
    end
  end
end
