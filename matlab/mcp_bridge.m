function mcp_bridge(requestPipe, responsePipe)
% MCP_BRIDGE  Serve MatlabMcp requests over two named pipes (length-prefixed JSON frames).
%   mcp_bridge(requestPipe, responsePipe) opens the pipes on first entry and loops until the
%   server closes them. After an interrupt (SIGINT) the server types the same command again:
%   the pipes come back from a locked store, so the base workspace and the handles survive.
%   The eval path is written out in this loop on purpose: in Octave each call of a function of
%   ours costs ~10-20 us, and the inlined loop cut the engine's CPU per trivial call by a third.
  [fids, resumed] = mcp_bridge_pipes(requestPipe, responsePipe);
  isOctave = exist('OCTAVE_VERSION', 'builtin') ~= 0;
  marker = char(30);
  [~, ~, endianness] = computer();  % ~60 us: once per entry, not per frame
  bigEndian = endianness == 'B';
  if resumed
    % Close the output of the request the interrupt unwound, so the server stops collecting for
    % it (the server ignores an end marker when no output is open). Flushed before "ready":
    % the server takes the interrupted call's output once ready arrives.
    fprintf('%s', [marker, sprintf('mcp:end:0\n')]);
    if isOctave
      fflush(stdout);
    end
  end
  in = fids(1);
  out = fids(2);
  % Octave: multi-line code is written here and sourced in the base workspace (see mcp_bridge_scratch).
  scriptFile = '';
  sourceCommand = '';
  if isOctave
    scriptFile = mcp_bridge_scratch();
    sourceCommand = sprintf('builtin(''source'', ''%s'');', strrep(scriptFile, '''', ''''''));
  end
  mcp_bridge_send(out, struct('id', 0, 'event', 'ready', 'resumed', resumed));
  while true
    % A frame: uint32 little-endian length, then UTF-8 JSON. A zero-length frame is the server's
    % nudge to flush a pending interrupt; end of stream means the server closed its end.
    [len, count] = fread(in, 1, 'uint32=>double', 0, 'ieee-le');
    if count < 1
      quit(0);
    end
    if len == 0
      continue;
    end
    bytes = fread(in, len, 'uint8=>uint8');
    while numel(bytes) < len
      [chunk, count] = fread(in, len - numel(bytes), 'uint8=>uint8');
      if count < 1
        quit(0);
      end
      bytes = [bytes; chunk];  %#ok<AGROW>
    end
    if isOctave
      request = jsondecode(char(bytes'));  % Octave strings are UTF-8 bytes
    else
      request = jsondecode(native2unicode(bytes', 'UTF-8'));
    end
    % One line ('eval') is evaluated as text, the cheapest way. Several lines ('script', Octave only:
    % MATLAB has no source) run from a file, so that an error carries the line and column in that
    % code (Octave reports neither for eval'd text beyond its first line) and a parse error shows
    % the line with a caret: ~30 us to write the file and ~50 us more to parse it from there.
    % A 'call' runs a function with arguments that arrive as data (mcp_bridge_call), never as code text.
    if strcmp(request.op, 'eval')
      code = request.code;
      file = '';
      isCall = false;
    elseif strcmp(request.op, 'script')
      file = scriptFile;
      code = sourceCommand;
      isCall = false;
      fid = builtin('fopen', file, 'w');  % builtin: the fopen/fclose shadows are for user code
      builtin('fwrite', fid, request.code);
      builtin('fclose', fid);
    elseif strcmp(request.op, 'call')
      file = '';
      isCall = true;
      value = '[]';
    else
      mcp_bridge_send(out, mcp_bridge_dispatch(request));
      continue;
    end
    % Output is bracketed by record-separator markers so the server can attribute it to this
    % request while it is printed (and keep it if the code is interrupted). The id stays set
    % after the call: mcp_progress reads it, and the server drops progress for finished ids.
    % A marker is formatted first and printed whole: Octave's stdout is unbuffered and writes
    % each piece of a format separately, and every write wakes the server's output reader.
    id = request.id;
    mcp_bridge_current(id);
    fprintf('%s', sprintf('%smcp:begin:%d\n', marker, id));
    failure = [];
    try
      if isCall
        value = mcp_bridge_call(request.call);
      else
        evalin('base', code);
      end
    catch failure
    end
    % Figures are exported inside the output brackets: a warning their export prints is this call's output.
    % Checking for open figures costs ~5 us; only a call that drew pays for more.
    figures = {};
    if isfield(request, 'figures') && ~isempty(get(0, 'children'))
      try
        figures = mcp_bridge_figures(request.figures);
      catch err
        figures = {struct('file', '', 'error', err.message)};
      end
    end
    fprintf('%s', sprintf('%smcp:end:%d\n', marker, id));
    if isOctave
      fflush(stdout);
    end
    if isempty(failure)
      body = sprintf('{"id":%d,"ok":true}', id);
    else
      body = mcp_bridge_failure(id, failure, file);
    end
    if ~isempty(figures)
      body = [body(1:end-1), ',"figures":', jsonencode(figures), '}'];
    end
    if isCall && isempty(failure)
      body = [body(1:end-1), ',"value":', value, '}'];
    end
    if isOctave
      body = uint8(body);
    else
      body = unicode2native(body, 'UTF-8');
    end
    prefix = typecast(uint32(numel(body)), 'uint8');
    if bigEndian
      prefix = fliplr(prefix);
    end
    % One fwrite for prefix and body, so an interrupt cannot leave half a frame on the pipe.
    fwrite(out, [prefix, body(:)'], 'uint8');
    if isOctave
      fflush(out);  % MATLAB has no fflush; its 'w' mode flushes every write
    end
  end
end
