function mcp_bridge_send(fid, message)
% MCP_BRIDGE_SEND  Write one frame (uint32 little-endian length + UTF-8 JSON) and flush it.
%   One fwrite for prefix and body, so an interrupt cannot leave half a frame on the pipe.
  body = unicode2native(jsonencode(message), 'UTF-8');
  prefix = typecast(uint32(numel(body)), 'uint8');
  [~, ~, endianness] = computer();
  if endianness == 'B'
    prefix = fliplr(prefix);  % big-endian host: the frame format is little-endian
  end
  fwrite(fid, [prefix, body(:)'], 'uint8');
  if exist('OCTAVE_VERSION', 'builtin')
    fflush(fid);  % MATLAB has no fflush; its 'w' mode flushes every write
  end
end
