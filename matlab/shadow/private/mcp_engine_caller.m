function trusted = mcp_engine_caller(depth)
% MCP_ENGINE_CALLER  True when the shadow being run was called by the engine's own installed code.
%   depth is how many frames above the shadow the asking function sits. print, imwrite and gnuplot clean up
%   their temporary files with unlink/delete: those calls are the engine's, not the user's, and go through.
  stack = dbstack('-completenames');
  caller = depth + 2;  % this function, the frames up to the shadow, then the shadow's caller
  root = matlabroot;
  trusted = numel(stack) >= caller && ~isempty(root) ...
    && strncmp(stack(caller).file, [root, filesep], numel(root) + 1);
end
