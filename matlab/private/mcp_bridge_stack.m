function frames = mcp_bridge_stack(stack, file, isCall)
% MCP_BRIDGE_STACK  The user's part of an error stack, ending with the frame of the submitted code itself.
%   Frames up to the bridge's own are kept. Multi-line code ran from file: its frame is named
%   "submitted code" and is the last one. One line evaluated as text has no frame of its own, so
%   one is added for it: the error is on its line 1 (the column is not known; 0).
%   Frames of the engine's private helpers (the shadows' refusal and confinement checks) are left out: the
%   shadow itself (cd, load, dbstop) says where, and every frame is paid for by the agent that reads it.
%   A call (isCall) evaluated no text, so it gets no such frame: its function's own frames say where.
%   A cell array, because Octave 7's jsonencode emits invalid JSON for an empty struct array.
  frames = {};
  bridge = fileparts(fileparts(mfilename('fullpath')));
  helpers = {[bridge, filesep, 'private', filesep], [bridge, filesep, 'shadow', filesep, 'private', filesep]};
  hasColumn = isfield(stack, 'column');
  for k = 1:numel(stack)
    column = 0;
    if hasColumn
      column = stack(k).column;
    end
    if ~isempty(file) && strcmp(stack(k).file, file)
      frames{end + 1} = struct('name', 'submitted code', 'line', stack(k).line, 'column', column); %#ok<AGROW>
      return;
    end
    [~, name] = fileparts(stack(k).file);
    if strncmp(name, 'mcp_bridge', 10)
      break;
    end
    if strncmp(stack(k).file, helpers{1}, numel(helpers{1})) || strncmp(stack(k).file, helpers{2}, numel(helpers{2}))
      continue;
    end
    frames{end + 1} = struct('name', stack(k).name, 'line', stack(k).line, 'column', column); %#ok<AGROW>
  end
  if isempty(file) && ~isCall
    frames{end + 1} = struct('name', 'submitted code', 'line', 1, 'column', 0);
  end
end
