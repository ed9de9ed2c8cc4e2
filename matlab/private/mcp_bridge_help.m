function result = mcp_bridge_help(request)
% MCP_BRIDGE_HELP  Discovery for agents: help text, which, toolboxes, one toolbox's functions, keyword search.
%   result = mcp_bridge_help(request) with request.op one of
%     'help'       request.name's help text, at most request.max_chars characters (shadowed functions: the
%                  MatlabMcp note, then the original's help);
%     'which'      what request.name is: kind (variable, builtin, file, compiled, class, not found) and where;
%     'toolboxes'  the engine, its installed packages (MATLAB: ver) and the folders list_functions accepts;
%     'functions'  the function names of one package or function folder (request.name), at most max_elements;
%     'find'       lookfor request.name (a keyword): names with their one-line summaries, at most max_elements.
%   Names are data: each is checked against a strict pattern here (the server checks first) and only ever passed
%   as a value to help, which, exist, lookfor and dir. Nothing is evaluated, and nothing in the workspace changes.
  switch request.op
    case 'help'
      result = helpText(checkedName(request), field(request, 'max_chars', 20000));
    case 'which'
      result = whichName(checkedName(request));
    case 'toolboxes'
      result = toolboxes();
    case 'functions'
      result = functionsOf(checkedToolbox(request), field(request, 'max_elements', 500));
    case 'find'
      result = findKeyword(checkedKeyword(request), field(request, 'max_elements', 30));
    otherwise
      error('mcp:help:op', 'unknown discovery operation "%s"', request.op);
  end
end

function value = field(request, name, fallback)
  value = fallback;
  if isfield(request, name) && ~isempty(request.(name))
    value = request.(name);
  end
  if isnumeric(fallback)
    value = double(value);
  end
end

function name = checkedName(request)
% A function, class, package function or variable name: identifiers joined by dots, at most 200 characters.
  name = field(request, 'name', '');
  if ~ischar(name) || size(name, 1) ~= 1 || numel(name) > 200 || hasControl(name) ...
      || isempty(regexp(name, '^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$', 'once'))
    error('mcp:help:name', 'not a name: use a function, class or variable name such as "sum" or "containers.Map"');
  end
end

function name = checkedToolbox(request)
% A package or folder name: no path separator, no dot, so it can only name a folder directly inside a known root.
  name = field(request, 'name', '');
  if ~ischar(name) || size(name, 1) ~= 1 || numel(name) > 64 || hasControl(name) ...
      || isempty(regexp(name, '^[A-Za-z0-9][A-Za-z0-9_+-]*$', 'once'))
    error('mcp:help:name', 'not a toolbox name: use a name list_toolboxes shows, such as "linear-algebra"');
  end
end

function keyword = checkedKeyword(request)
  keyword = field(request, 'name', '');
  if ~ischar(keyword) || size(keyword, 1) ~= 1 || numel(keyword) > 64 || hasControl(keyword) ...
      || isempty(regexp(keyword, '^[A-Za-z0-9][A-Za-z0-9 _.-]*$', 'once'))
    error('mcp:help:name', 'not a keyword: use letters, digits, spaces, "-", "_" or "." such as "cosine"');
  end
end

function yes = hasControl(text)
% PCRE's $ also matches before a final newline: the patterns alone would let "sum\n" through.
  yes = any(double(text) < 32 | double(text) == 127);
end

function result = helpText(name, maxChars)
% The raw help text and its format: Octave's docstrings are mostly Texinfo, which the server turns into plain text
% itself (Octave's help runs makeinfo, a Perl program, for 0.4 s and more per call). At most 4 x maxChars bytes
% travel: markup shrinks in the conversion, and the server cuts the result to maxChars.
  [where, shadowFolder] = located(name);
  if isempty(where)
    if any(strcmp(baseVariables(), name))
      error('mcp:help:variable', '"%s" is a variable of this session (get_variable reads it; which says its class and size)', name);
    end
    error('mcp:help:missing', 'no function or class named "%s" on this session''s path (find_functions searches by keyword)', name);
  end
  [text, format] = rawHelp(name);
  original = '';
  originalFormat = '';
  if ~isempty(shadowFolder)
    % A MatlabMcp shadow (cd, load, fopen, ...): its note, then the help of what it stands in for.
    [original, originalFormat] = originalHelp(name, shadowFolder);
  end
  limit = 4 * maxChars;
  total = numel(text) + numel(original);
  result = struct('name', name, 'text', cut(text, limit), 'format', format, 'original', cut(original, limit), ...
                  'original_format', originalFormat, 'truncated', total > limit, 'total_chars', total);
end

function [text, format] = rawHelp(name)
  if exist('OCTAVE_VERSION', 'builtin') ~= 0
    [text, format] = get_help_text(name);
  else
    text = help(name);
    format = 'plain text';
  end
end

function text = cut(text, limit)
  if numel(text) > limit
    k = limit;
    while k > 0 && bitand(double(text(k + 1)), 192) == 128  % Octave chars are UTF-8 bytes: no half character
      k = k - 1;
    end
    text = text(1:k);
  end
end

function [text, format] = originalHelp(name, shadowFolder)
% Help of the function a shadow hides: read with the shadow's folder off the path, the path restored exactly.
  saved = path();
  try
    rmpath(shadowFolder);
    [text, format] = rawHelp(name);
  catch err
    text = sprintf('(not available: %s)', err.message);
    format = 'plain text';
  end
  path(saved);
end

function [where, shadowFolder] = located(name)
% Where name is defined (file, or the builtin's source), and the MatlabMcp folder when it is one of our shadows.
  where = which(name);
  shadowFolder = '';
  bridge = fileparts(fileparts(mfilename('fullpath')));
  for folder = {fullfile(bridge, 'shadow'), bridge}
    if strncmp(where, [folder{1}, filesep()], numel(folder{1}) + 1) && ~any(where(numel(folder{1}) + 2:end) == filesep())
      if ~strncmp(name, 'mcp_', 4)  % our own functions (mcp_progress) have no original
        shadowFolder = folder{1};
      end
      return;
    end
  end
end

function result = whichName(name)
  result = struct('name', name, 'kind', 'not found', 'path', '', 'in_session', false, 'class', '', 'size', [], ...
                  'shadows', '', 'note', '');
  variables = mcp_bridge_workspace(Inf);
  isVariable = false;
  for k = 1:numel(variables)
    if strcmp(variables{k}.name, name)
      result.kind = 'variable';
      result.class = variables{k}.class;
      result.size = variables{k}.size;
      isVariable = true;
    end
  end
  [where, shadowFolder] = located(name);
  [kind, where] = kindOf(name, where);
  if isVariable
    if ~strcmp(kind, 'not found')
      result.shadows = strtrim(sprintf('%s %s', kind, where));  % the variable hides this function in the workspace
    end
  else
    result.kind = kind;
    [result.path, result.in_session] = sessionRelative(where);
  end
  if ~isempty(shadowFolder)
    result.note = 'MatlabMcp shadows this function (get_help says how it differs)';
  end
end

function [kind, where] = kindOf(name, where)
  isOctave = exist('OCTAVE_VERSION', 'builtin') ~= 0;
  kind = 'not found';
  if isempty(where)
    return;
  end
  if ~isOctave && strncmp(where, 'built-in (', 10)
    kind = 'builtin';
    where = where(11:end - 1);
    return;
  end
  if any(name == '.')
    code = 2;  % a package function or class: exist does not know dotted names in Octave
  else
    code = exist(name);
  end
  switch code
    case 5
      kind = 'builtin';
      if isOctave
        where = '';  % Octave names the C++ source file, which is nowhere on this machine
      end
    case 3
      kind = 'compiled';
    case 8
      kind = 'class';
    case 103
      kind = 'command-line function';
    otherwise
      kind = 'file';
  end
end

function [where, inSession] = sessionRelative(where)
% A file in the session folder is shown as the relative path the file tools take.
  inSession = false;
  roots = mcp_session_roots();
  if ~isempty(roots) && strncmp(where, [roots{1}, '/'], numel(roots{1}) + 1)
    where = where(numel(roots{1}) + 2:end);
    inSession = true;
  end
end

function names = baseVariables()
  variables = mcp_bridge_workspace(Inf);
  names = cellfun(@(v) v.name, variables, 'UniformOutput', false);
end

function result = toolboxes()
  isOctave = exist('OCTAVE_VERSION', 'builtin') ~= 0;
  entries = {};
  if isOctave
    entries{end + 1} = struct('name', 'Octave', 'version', OCTAVE_VERSION(), 'loaded', true);
    packages = pkg('list');
    for k = 1:numel(packages)
      entries{end + 1} = struct('name', packages{k}.name, 'version', packages{k}.version, ...
                                'loaded', logical(packages{k}.loaded));  %#ok<AGROW>
    end
  else
    products = ver();
    for k = 1:numel(products)
      entries{end + 1} = struct('name', products(k).Name, 'version', products(k).Version, 'loaded', true);  %#ok<AGROW>
    end
  end
  result = struct('toolboxes', {entries}, 'folders', {coreFolders()});
end

function root = coreRoot()
  if exist('OCTAVE_VERSION', 'builtin') ~= 0
    root = __octave_config_info__('fcnfiledir');
  else
    root = fullfile(matlabroot(), 'toolbox');
  end
end

function names = coreFolders()
% The function folders of the engine's own installation, which list_functions also accepts.
  listing = dir(coreRoot());
  names = {};
  for k = 1:numel(listing)
    n = listing(k).name;
    if listing(k).isdir && ~any(n(1) == '.@+') && ~strcmp(n, 'private')
      names{end + 1} = n;  %#ok<AGROW>
    end
  end
end

function result = functionsOf(toolbox, maxNames)
  folders = {};
  loaded = true;
  kind = 'folder';
  if exist('OCTAVE_VERSION', 'builtin') ~= 0
    packages = pkg('list');
    for k = 1:numel(packages)
      if strcmp(packages{k}.name, toolbox)
        folders = {packages{k}.dir, packages{k}.archprefix};
        loaded = logical(packages{k}.loaded);
        kind = 'package';
      end
    end
  end
  if isempty(folders)
    if ~any(strcmp(coreFolders(), toolbox))
      error('mcp:help:toolbox', 'no toolbox, package or function folder named "%s" (list_toolboxes lists them)', toolbox);
    end
    folders = {fullfile(coreRoot(), toolbox)};
  end
  names = {};
  for k = 1:numel(folders)
    names = [names, functionFiles(folders{k}, 0)];  %#ok<AGROW>
  end
  names = unique(names);
  result = struct('toolbox', toolbox, 'kind', kind, 'loaded', loaded, 'total', numel(names), ...
                  'functions', {names(1:min(end, maxNames))});
end

function names = functionFiles(folder, depth)
% .m and compiled function names below folder, leaving out private helpers, class and package folders, internals.
  names = {};
  if depth > 4 || ~isfolder(folder)
    return;
  end
  listing = dir(folder);
  for k = 1:numel(listing)
    n = listing(k).name;
    if any(n(1) == '.@+_') || strcmp(n, 'private')
      continue;
    end
    if listing(k).isdir
      names = [names, functionFiles(fullfile(folder, n), depth + 1)];  %#ok<AGROW>
    else
      [~, base, ext] = fileparts(n);
      if any(strcmp(ext, {'.m', '.oct', '.mex', ['.', mexext()]}))
        names{end + 1} = base;  %#ok<AGROW>
      end
    end
  end
end

function result = findKeyword(keyword, maxResults)
  if exist('OCTAVE_VERSION', 'builtin') ~= 0
    [names, summaries] = lookfor(keyword);
  else
    % MATLAB's lookfor only prints "name - summary" lines; keyword stays a variable evalc's code reads.
    listing = evalc('lookfor(keyword)');
    tokens = regexp(listing, '(?m)^\s*(\S+)\s+-\s+(.*?)\s*$', 'tokens');
    names = cellfun(@(t) t{1}, tokens, 'UniformOutput', false);
    summaries = cellfun(@(t) t{2}, tokens, 'UniformOutput', false);
  end
  [names, first] = unique(names, 'stable');
  summaries = summaries(first);
  found = cell(1, min(numel(names), maxResults));
  for k = 1:numel(found)
    % An H1 line repeats the name ("SQDIST  Squared distance"): the name is already given.
    summary = regexprep(strtrim(summaries{k}), ['^', regexptranslate('escape', upper(names{k})), '\s+'], '', 'once');
    found{k} = struct('name', names{k}, 'summary', summary);
  end
  result = struct('keyword', keyword, 'total', numel(names), 'functions', {found});
end
