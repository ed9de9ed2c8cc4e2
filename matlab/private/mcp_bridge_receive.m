function [request, ended] = mcp_bridge_receive(fid)
% MCP_BRIDGE_RECEIVE  Read one frame (uint32 little-endian length + UTF-8 JSON).
%   A zero-length frame yields request = [] (a no-op); ended is true at end of stream.
  request = [];
  ended = true;
  [len, count] = fread(fid, 1, 'uint32=>double', 0, 'ieee-le');
  if count < 1
    return;
  end
  bytes = zeros(1, 0, 'uint8');
  while numel(bytes) < len
    [chunk, count] = fread(fid, len - numel(bytes), 'uint8=>uint8');
    if count < 1
      return;
    end
    bytes = [bytes, chunk(:)'];  %#ok<AGROW>
  end
  ended = false;
  if len > 0
    if exist('OCTAVE_VERSION', 'builtin')
      request = jsondecode(char(bytes));  % Octave strings are UTF-8 bytes; native2unicode costs ~20 us
    else
      request = jsondecode(native2unicode(bytes, 'UTF-8'));
    end
  end
end
