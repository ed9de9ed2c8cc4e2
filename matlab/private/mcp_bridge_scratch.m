function file = mcp_bridge_scratch()
% MCP_BRIDGE_SCRATCH  The engine's private file for multi-line code, made on first use and kept across interrupts.
%   Multi-line code runs from a file so that Octave's own error locations (line, column, the caret
%   under a parse error) are those of the submitted code. The folder is private (0700), on tmpfs
%   where there is one (/dev/shm, or the sandbox's own /tmp), and never the user's session folder.
%   The file takes the name of a builtin on purpose: source() first looks its name up as a function,
%   and an unknown name costs a rescan of the whole load path (~6 ms) on every call.
  persistent stored
  mlock();
  if isempty(stored)
    isOctave = exist('OCTAVE_VERSION', 'builtin') ~= 0;
    if isOctave
      mask = umask(63);  % 077: other users of the machine may not read submitted code
    end
    folder = '';
    for base = {'/dev/shm', tempdir()}
      candidate = tempname(base{1});  % MATLAB's tempname takes no prefix
      if exist(base{1}, 'dir') && mcp_make_folder(candidate, isOctave)
        folder = candidate;
        break;
      end
    end
    if isOctave
      umask(mask);
    end
    if isempty(folder)
      error('mcp:bridge', 'cannot create a private folder for submitted code');
    end
    stored = fullfile(folder, 'eval.m');
  end
  file = stored;
end

function ok = mcp_make_folder(folder, isOctave)
  % Not mkdir: the shadow that confines user code to the session folder would refuse the temporary folder.
  % Octave's mkdir is an .m file over the builtin __mkdir__ (named through feval: MATLAB rejects the identifier).
  if isOctave
    ok = feval('__mkdir__', folder);
  else
    ok = builtin('mkdir', folder);
  end
end
