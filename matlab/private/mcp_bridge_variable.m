function variable = mcp_bridge_variable(request)
% MCP_BRIDGE_VARIABLE  One base-workspace variable's value as JSON text, within element, text and depth budgets.
%   The name is data. It must be a bare identifier (isvarname) that the base workspace lists as a variable (who):
%   only then is it evaluated, and a bare variable name evaluates to its value and nothing else, so a name that
%   is only a function's is refused, never called. Nothing is assigned in the base workspace (no ans either).
%
%   Conventions (MATLAB's jsonencode where it has one): scalar -> number; vector -> flat array; matrix -> array of
%   rows; N-d -> arrays nested in the order of the dimensions; the same for cell and struct arrays; struct ->
%   object; char row -> string, char matrix -> array of strings; logical -> true/false; NaN, Inf, -Inf -> the
%   strings "NaN", "Inf", "-Inf"; integers exactly, int64/uint64 beyond 2^53 as decimal strings; complex ->
%   {"real": ..., "imag": ...} (two arrays of the value's shape); sparse -> {"rows", "columns", "values"}
%   (1-based triplets of the non-zeros, column by column); function handle -> its func2str text;
%   containers.Map -> object of key -> value; objects -> object of their public properties (old-style: fields).
%   MATLAB only (Octave 7 has none of them; written, not yet run): string arrays as strings (a missing one as []),
%   table and timetable as an array of row objects (table2struct), datetime/duration/categorical as their text.
%
%   Budgets are global across the nesting: every number, boolean, string, handle and empty value costs one
%   element, and containers stop when max_elements is spent (arrays are cut to a leading block, whole rows
%   first). Text beyond max_chars is not added; strings are cut. Containers deeper than max_depth are named, not
%   opened. Each cut is listed with where it happened, so the caller knows what is missing.
  name = request.name;
  if ~ischar(name) || size(name, 1) ~= 1 || numel(name) > namelengthmax() || ~isvarname(name)
    error('mcp:variable:name', 'not a variable name: a name is a letter followed by letters, digits or underscores');
  end
  if ~any(strcmp(baseVariables(), name))
    error('mcp:variable:missing', 'no variable named "%s" in this session''s workspace (get_workspace lists them)', name);
  end
  value = evalin('base', name);  % safe: a proven bare identifier naming a variable (see above)
  budget = struct('elements', double(request.max_elements), 'chars', double(request.max_chars), ...
                  'depth', double(request.max_depth), 'usedElements', 0, 'usedChars', 0, 'cuts', {{}}, 'moreCuts', 0);
  [json, budget] = encode(value, name, 0, budget);
  variable = struct('class', class(value), 'size', size(value), ...
                    'truncated', ~isempty(budget.cuts), 'elements', budget.usedElements, ...
                    'json', json, 'cuts', {budget.cuts}, 'more_cuts', budget.moreCuts);
end

function names = baseVariables()
% The base workspace's variable names. who is printed and read back: Octave binds ans to the value of any function
% called through evalin with an output (names = evalin('base', 'who') would overwrite the caller's ans).
%   A variable named who would be displayed instead, its text read as names: without the heading, nothing is trusted.
  listing = evalc('evalin(''base'', ''who'')');
  if isempty(regexp(listing, '\S', 'once'))
    names = {};  % an empty workspace prints nothing
    return;
  end
  heading = '^\s*(Variables visible from the current scope|Your variables are):[ \t]*\n';
  if isempty(regexp(listing, heading, 'once'))
    error('mcp:variable:listing', ['cannot list this workspace''s variables: a variable or function named "who" ' ...
          'hides the listing (rename it)']);
  end
  names = regexp(regexprep(listing, heading, '', 'once'), '\S+', 'match');
end

function [text, b] = encode(x, path, depth, b)
% One value of any class; b is the budget, passed through every call. Classes are compared by name: Octave's isa
% is an m-file, and this runs once per element of a cell or struct array.
  cls = class(x);
  if isnumeric(x) || islogical(x)
    if issparse(x)
      [text, b] = sparseValue(x, path, b);
    elseif ~isreal(x)
      [text, b] = complexValue(x, path, b);
    elseif numel(x) == 1 && b.usedChars + 25 < b.chars
      text = scalarText(x);  % no slicing, no nesting: most elements of cells and structs
      b.usedElements = b.usedElements + 1;
      b.usedChars = b.usedChars + numel(text);
    else
      [text, b] = numbers(x, path, b);
    end
  elseif ischar(x)
    [text, b] = chars(x, path, b);
  elseif strcmp(cls, 'function_handle')
    [text, b] = leafString(func2str(x), path, b);
  elseif depth >= b.depth && (iscell(x) || isstruct(x) || isobject(x))
    [text, b] = summary(x, path, b, 'depth');
  elseif iscell(x)
    [text, b] = elements(x, path, depth, b, {});
  elseif isstruct(x)
    names = fieldnames(x);
    if numel(x) == 1
      [text, b] = fieldsObject(x, names, keysOf(names), path, depth, b);
    else
      [text, b] = elements(x, path, depth, b, {names, keysOf(names)});
    end
  elseif strcmp(cls, 'containers.Map')
    [text, b] = mapObject(x, path, depth, b);
  elseif strcmp(cls, 'string')
    [text, b] = stringArray(x, path, b);
  elseif strcmp(cls, 'timetable')
    [text, b] = encode(table2struct(timetable2table(x)), path, depth, b);
  elseif strcmp(cls, 'table')
    [text, b] = encode(table2struct(x), path, depth, b);
  elseif any(strcmp(cls, {'datetime', 'duration', 'categorical'}))
    [text, b] = stringArray(string(x), path, b);
  elseif isobject(x)
    [text, b] = objectValue(x, path, depth, b);
  else
    [text, b] = summary(x, path, b, 'class not encoded');
  end
end

function text = scalarText(x)
% One real number or logical, the quick way for the common cases (numberItems does the same for arrays).
  if islogical(x)
    if x
      text = 'true';
    else
      text = 'false';
    end
  elseif isfinite(x) && strcmp(class(x), 'double') && isOctave()
    text = jsonencode(x);
    if numel(text) > 2 && text(end) == '0' && text(end - 1) == '.'
      text = text(1:end-2);  % Octave writes 123456789012.0
    end
  else
    text = numberItems(x);
    text = text{1};
  end
end

function [text, b] = summary(x, path, b, reason)
% What stands in for a value not shown: its size and class as MATLAB displays them ("[1x3 cell]"), a string
% that costs one element like any other, so that a million of them cannot escape the budget.
  [~, b] = cut(b, path, x, 0, reason);
  text = jsonencode(sprintf('[%s %s]', sizeText(size(x)), class(x)));
  b.usedElements = b.usedElements + 1;
  b.usedChars = b.usedChars + numel(text);
end

function keys = keysOf(names)
% Field names are identifiers: quoted as they are, nothing to escape.
  keys = strcat('"', names, '":');
end

function [text, b] = numbers(x, path, b)
% A real numeric or logical array, sliced to the budget before anything is formatted.
  [slice, shape, full] = leading(x, b);
  [texts, b] = arrayTexts({numberItems(slice)}, shape, full, path, x, b);
  text = texts{1};
end

function items = numberItems(x)
% The JSON text of each element of a real array, row-major (last dimension fastest).
  x = permute(x, ndims(x):-1:1);
  x = x(:)';
  if isempty(x)
    items = {};
    return;
  end
  switch class(x)
    case 'logical'
      words = {'false', 'true'};
      items = words(double(x) + 1);
    case 'double'
      if ~isOctave()
        items = shortest(x, '%.15g', '%.17g', @double);  % MATLAB: its jsonencode is not known to write the shortest exact text
        return;
      end
      % Octave's jsonencode writes the shortest text that reads back exactly; NaN/Inf become strings.
      text = jsonencode(x, 'ConvertInfAndNaN', false);
      if text(1) == '['
        text = text(2:end-1);
      end
      text = regexprep(text, '\.0(?=,|$)', '');  % Octave writes 123456789012.0
      if ~all(isfinite(x))
        text = strrep(strrep(strrep(text, '-Infinity', '"-Inf"'), 'Infinity', '"Inf"'), 'NaN', '"NaN"');
      end
      items = split(text);
    case 'single'
      items = shortest(x, '%.7g', '%.9g', @single);
    case 'int64'
      items = bigIntegers(sprintf('%d,', x), x > int64(2)^53 | x < -int64(2)^53);
    case 'uint64'
      items = bigIntegers(sprintf('%u,', x), x > uint64(2)^53);
    otherwise  % the narrower integers: exact as doubles
      text = sprintf('%d,', x);
      items = split(text(1:end-1));
  end
end

function items = split(text)
% Comma-separated items. Cut by position: strsplit and regexp's split cost ~150 us a call in Octave, more than
% all the rest of encoding a scalar.
  commas = text == ',';
  if ~any(commas)
    items = {text};
    return;
  end
  lengths = diff([0, find(commas), numel(text) + 1]) - 1;
  items = mat2cell(text(~commas), 1, lengths);
end

function items = bigIntegers(text, big)
% 64-bit integers exactly: those beyond 2^53 (which a double, and so many JSON readers, would round) as strings.
  items = split(text(1:end-1));
  items(big) = strcat('"', items(big), '"');
end

function items = shortest(x, shortFormat, longFormat, cast)
% The shorter decimal where it reads back exactly, the longer where it does not; non-finite values as strings.
  text = sprintf([shortFormat, ','], x);
  items = split(text(1:end-1));
  inexact = find(cast(str2double(items)) ~= x & isfinite(x));
  for k = inexact
    items{k} = sprintf(longFormat, x(k));
  end
  items = regexprep(items, '^(-?Inf|NaN)$', '"$1"');
end

function [text, b] = complexValue(x, path, b)
% Two arrays of the value's shape, its real and imaginary parts, sliced alike.
  [slice, shape, full] = leading(x, b);
  [texts, b] = arrayTexts({numberItems(real(slice)), numberItems(imag(slice))}, shape, full, path, x, b);
  text = ['{"real":', texts{1}, ',"imag":', texts{2}, '}'];
end

function [text, b] = sparseValue(x, path, b)
% The non-zeros as 1-based triplets, column by column, as many as the element and text budgets hold.
  [rows, columns, values] = find(x);
  total = numel(values);
  keep = min(total, max(b.elements - b.usedElements, 0));
  parts = {numberItems(rows(1:keep)), numberItems(columns(1:keep))};
  if isreal(values)
    parts{3} = numberItems(values(1:keep));
  else
    parts(3:4) = {numberItems(real(values(1:keep))), numberItems(imag(values(1:keep)))};
  end
  lengths = 0;
  for p = 1:numel(parts)
    lengths = lengths + cellfun('length', parts{p}) + 1;
  end
  fits = find(cumsum(lengths) <= b.chars - b.usedChars - 60, 1, 'last');
  reason = 'elements';
  if isempty(fits)
    fits = 0;
  end
  if fits < keep
    keep = fits;
    reason = 'characters';
  end
  if keep < total
    [~, b] = cut(b, path, x, keep, reason);
  end
  for p = 1:numel(parts)
    parts{p} = listText(parts{p}(1:keep));
  end
  if isreal(values)
    valueText = parts{3};
  else
    valueText = ['{"real":', parts{3}, ',"imag":', parts{4}, '}'];
  end
  text = ['{"rows":', parts{1}, ',"columns":', parts{2}, ',"values":', valueText, '}'];
  b.usedElements = b.usedElements + max(keep, 1);
  b.usedChars = b.usedChars + numel(text);
end

function text = listText(items)
  if isempty(items)
    text = '[]';
  else
    text = sprintf('%s,', items{:});
    text = ['[', text(1:end-1), ']'];
  end
end

function [text, b] = chars(x, path, b)
% A char row is a string; a char matrix is an array of its rows (an N-d char array: the rows of x(:,:)).
  if ndims(x) == 2 && size(x, 1) <= 1
    [text, b] = leafString(x, path, b);
    return;
  end
  x = x(:, :);
  rows = size(x, 1);
  keep = min(rows, max(b.elements - b.usedElements, 0));
  items = cell(1, keep);
  for k = 1:keep
    [items{k}, b] = leafString(x(k, :), sprintf('%s(%d,:)', path, k), b);
    if b.usedChars >= b.chars
      items = items(1:k);
      break;
    end
  end
  if numel(items) < rows
    [~, b] = cut(b, path, x, numel(items), 'elements');
  end
  text = listText(items);
end

function [text, b] = leafString(s, path, b)
% One string, cut to the text that is left (never inside a UTF-8 sequence); costs one element.
  room = max(b.chars - b.usedChars, 0);
  s = reshape(s, 1, []);
  n = numel(s);
  if n > room
    keep = room;
    while keep > 0 && double(s(keep + 1)) >= 128 && double(s(keep + 1)) < 192
      keep = keep - 1;  % Octave chars are UTF-8 bytes: do not end inside a character
    end
    [~, b] = cut(b, path, s, keep, 'characters');
    s = s(1:keep);
  end
  text = jsonencode(wellFormed(s));
  b.usedElements = b.usedElements + 1;
  b.usedChars = b.usedChars + numel(text);
end

function s = wellFormed(s)
% Octave's chars are bytes and may hold anything; the frame must be UTF-8 (a reader refuses the whole frame
% otherwise), so a byte that does not belong to a well-formed character becomes U+FFFD. Checked the quick way first.
  bytes = double(s);
  if all(bytes < 128) || ~isOctave()
    return;  % ASCII, or MATLAB (its chars are UTF-16)
  end
  try
    native2unicode(uint8(bytes), 'UTF-8');  % iconv refuses overlong forms, surrogates and stray bytes alike
    return;
  catch
  end
  out = zeros(1, 3 * numel(bytes));
  n = 0;
  k = 1;
  while k <= numel(bytes)
    len = utf8Length(bytes, k);
    if len == 0
      out(n+1:n+3) = [239 191 189];  % U+FFFD
      n = n + 3;
      len = 1;
    else
      out(n+1:n+len) = bytes(k:k+len-1);
      n = n + len;
    end
    k = k + len;
  end
  s = char(out(1:n));
end

function len = utf8Length(bytes, k)
% The length of the well-formed UTF-8 character at k, or 0 (RFC 3629: no overlong forms, no surrogates).
  c = bytes(k);
  if c < 128
    len = 1;
    return;
  elseif c >= 194 && c <= 223
    len = 2;
    low = 128; high = 191;
  elseif c >= 224 && c <= 239
    len = 3;
    low = 128 + 32 * (c == 224); high = 191 - 32 * (c == 237);
  elseif c >= 240 && c <= 244
    len = 4;
    low = 128 + 16 * (c == 240); high = 191 - 48 * (c == 244);
  else
    len = 0;
    return;
  end
  if k + len - 1 > numel(bytes) || bytes(k+1) < low || bytes(k+1) > high || ...
     any(bytes(k+2:k+len-1) < 128 | bytes(k+2:k+len-1) > 191)
    len = 0;
  end
end

function [text, b] = stringArray(x, path, b)
% MATLAB strings: a scalar is a string, an array nests like any array; a missing string is null.
  texts = cellstr(x);
  texts(ismissing(x)) = {[]};
  [text, b] = encode(texts, path, 0, b);
  if numel(x) == 1
    text = text(2:end-1);
  end
end

function [text, b] = elements(x, path, depth, b, fields)
% A cell or struct array (fields: the struct's names and keys), element by element, row-major, until the budget
% is spent.
  if isempty(x)
    text = '[]';
    b.usedElements = b.usedElements + 1;
    b.usedChars = b.usedChars + 2;
    return;
  end
  [~, shape, full] = leading(x, b);
  order = rowMajor(shape);
  subscripts = cell(1, numel(shape));
  [subscripts{:}] = ind2sub(shape, order);
  linear = sub2ind(size(x), subscripts{:});
  subscripts = vertcat(subscripts{:});
  vector = isVector(x);
  if vector
    subscripts = max(subscripts, [], 1);
  end
  if iscell(x)
    format = ['%s{', repmat('%d,', 1, size(subscripts, 1))];
    format(end) = '}';
  else
    format = ['%s(', repmat('%d,', 1, size(subscripts, 1))];
    format(end) = ')';
  end
  items = cell(1, numel(linear));
  count = 0;
  for k = 1:numel(linear)
    if b.usedElements >= b.elements || b.usedChars >= b.chars
      break;
    end
    where = sprintf(format, path, subscripts(:, k));  % where it sits, as MATLAB writes it: c{3}, s(2), c{1,2}
    if isempty(fields)
      [items{k}, b] = encode(x{linear(k)}, where, depth + 1, b);
    else
      [items{k}, b] = fieldsObject(x(linear(k)), fields{1}, fields{2}, where, depth + 1, b);
    end
    b.usedChars = b.usedChars + 1;  % the comma
    count = k;
  end
  items = items(1:count);
  if count < numel(x)
    reason = 'elements';
    if b.usedChars >= b.chars
      reason = 'characters';
    end
    [~, b] = cut(b, path, x, count, reason);
  end
  text = nest(items, shape, vector);
end

function [text, b] = fieldsObject(source, names, keys, path, depth, b)
% An object from names and values: the fields of a struct or object (source.(name)) or the values of a map
% (source{k}), until the budget is spent. keys are the names quoted, with their colon.
  if isempty(names)
    text = '{}';
    b.usedElements = b.usedElements + 1;
    b.usedChars = b.usedChars + 2;
    return;
  end
  parts = cell(1, numel(names));
  count = 0;
  for k = 1:numel(names)
    if b.usedElements >= b.elements || b.usedChars >= b.chars
      break;
    end
    if iscell(source)
      [valueText, b] = encode(source{k}, sprintf('%s(%s)', path, strrep(keys{k}(1:end-1), '"', '''')), depth + 1, b);
    else
      [valueText, b] = encode(source.(names{k}), [path, '.', names{k}], depth + 1, b);
    end
    parts{k} = [keys{k}, valueText];
    b.usedChars = b.usedChars + numel(keys{k}) + 1;
    count = k;
  end
  if count < numel(names)
    [~, b] = cut(b, path, names, count, 'elements');
  end
  text = sprintf('%s,', parts{1:count});
  text = ['{', text(1:end-1), '}'];
end

function [text, b] = mapObject(m, path, depth, b)
% containers.Map as an object of key -> value (numeric keys written as numbers in the key's text).
  keySet = keys(m);
  valueSet = values(m);
  names = cell(size(keySet));
  for k = 1:numel(keySet)
    if ischar(keySet{k})
      names{k} = wellFormed(keySet{k});
    else
      names{k} = strrep(listText(numberItems(keySet{k})), '"', '');
      names{k} = names{k}(2:end-1);
    end
  end
  keys = cellfun(@(name) [jsonencode(name), ':'], names, 'UniformOutput', false);
  [text, b] = fieldsObject(valueSet, names, keys, path, depth, b);
end

function [text, b] = objectValue(x, path, depth, b)
% A classdef object as its public properties; an old-style object as its fields (struct shows them).
  try
    metaclass(x);  % old-style objects have none
    classdefObject = true;
  catch
    classdefObject = false;
  end
  if ~classdefObject
    [text, b] = encode(struct(x), path, depth, b);
  elseif numel(x) ~= 1
    [text, b] = summary(x, path, b, 'object arrays are not encoded');
  else
    names = properties(x);
    [text, b] = fieldsObject(x, names, keysOf(names), path, depth, b);
  end
end

function [slice, shape, full] = leading(x, b)
% The leading block of x that fits the elements left: whole trailing dimensions first, then a count of the first
% dimension that is not whole (so a matrix keeps whole rows while it can). Vectors are cut along their length.
  dims = size(x);
  room = max(b.elements - b.usedElements, 0);
  full = numel(x) <= room;
  if full
    slice = x;
    shape = dims;
    return;
  end
  shape = dims;
  for k = 1:numel(dims)
    rest = prod(dims(k+1:end));
    if rest <= room
      shape(k) = max(floor(room / rest), 0);
      break;
    end
    shape(k) = min(1, dims(k));
  end
  if ~isnumeric(x) && ~islogical(x)
    slice = [];  % cell and struct arrays are walked element by element
    return;
  end
  ranges = arrayfun(@(n) 1:n, shape, 'UniformOutput', false);
  slice = x(ranges{:});
end

function [texts, b] = arrayTexts(parts, shape, full, path, x, b)
% Row-major item lists of one array (one list, or its real and imaginary parts) as nested arrays of the given
% shape, as many elements as the text left holds; cuts recorded.
  if isempty(x)
    texts = repmat({'[]'}, size(parts));
    b.usedElements = b.usedElements + 1;
    b.usedChars = b.usedChars + 2 * numel(parts);
    return;
  end
  lengths = 0;
  for p = 1:numel(parts)
    lengths = lengths + cellfun('length', parts{p}) + 1;
  end
  fits = find(cumsum(lengths) <= b.chars - b.usedChars, 1, 'last');
  if isempty(fits)
    fits = 0;
  end
  count = numel(parts{1});
  if fits < count
    count = fits;
    [~, b] = cut(b, path, x, count, 'characters');
  elseif ~full
    [~, b] = cut(b, path, x, count, 'elements');
  end
  b.usedElements = b.usedElements + max(count, 1);
  vector = isVector(x);
  texts = cell(size(parts));
  for p = 1:numel(parts)
    items = parts{p}(1:count);
    if numel(x) == 1 && count == 1
      texts{p} = items{1};
    else
      texts{p} = nest(items, shape, vector);
    end
    b.usedChars = b.usedChars + numel(texts{p});
  end
end

function text = nest(items, shape, vector)
% Row-major items as JSON arrays: flat for a vector, else nested by dimension (the last innermost). When the
% budget stopped early, the last arrays are short.
  if vector
    text = listText(items);
    return;
  end
  for k = numel(shape):-1:2
    d = max(shape(k), 1);
    n = numel(items);
    groups = cell(1, ceil(n / d));
    for j = 1:numel(groups)
      groups{j} = listText(items((j - 1) * d + 1:min(j * d, n)));
    end
    items = groups;
  end
  text = listText(items);
end

function order = rowMajor(shape)
% Linear indices of an array of this shape, in row-major order.
  order = reshape(permute(reshape(1:prod(shape), [shape, 1]), numel(shape):-1:1), 1, []);
end

function yes = isOctave()
  persistent octave
  if isempty(octave)
    octave = exist('OCTAVE_VERSION', 'builtin') ~= 0;
  end
  yes = octave;
end

function yes = isVector(x)
  yes = ndims(x) == 2 && (size(x, 1) == 1 || size(x, 2) == 1);
end

function text = sizeText(dims)
  text = sprintf('%dx', dims);
  text = text(1:end-1);
end

function [nothing, b] = cut(b, path, x, returned, reason)
% Records one cut (the first few; the rest are counted).
  nothing = [];
  if numel(b.cuts) < 20
    b.cuts{end + 1} = struct('path', path, 'class', class(x), 'size', size(x), 'returned', returned, 'reason', reason);
  else
    b.moreCuts = b.moreCuts + 1;
  end
end
