function mcp_bridge_send(fid, message)
% MCP_BRIDGE_SEND  Write one frame (uint32 little-endian length + UTF-8 JSON) and flush it.
%   One fwrite for prefix and body, so an interrupt cannot leave half a frame on the pipe.
%   Host facts are looked up once: computer() alone costs ~60 us, more than the rest of a frame.
  persistent isOctave bigEndian
  if isempty(isOctave)
    isOctave = exist('OCTAVE_VERSION', 'builtin') ~= 0;
    [~, ~, endianness] = computer();
    bigEndian = endianness == 'B';
  end
  if isOctave
    body = uint8(jsonencode(message));  % Octave strings are already UTF-8 bytes
  else
    body = unicode2native(jsonencode(message), 'UTF-8');
  end
  prefix = typecast(uint32(numel(body)), 'uint8');
  if bigEndian
    prefix = fliplr(prefix);  % the frame format is little-endian
  end
  fwrite(fid, [prefix, body(:)'], 'uint8');
  if isOctave
    fflush(fid);  % MATLAB has no fflush; its 'w' mode flushes every write
  end
end
