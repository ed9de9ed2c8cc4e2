function summary = summarize_struct(data, fields)
% SUMMARIZE_STRUCT  Describe each field of a struct: its class, size, and for numbers their min, max and mean.
%   summary = summarize_struct(data, fields) summarises the named fields (a cell of names), or all when fields is
%   empty or not given. summary is a struct array with one element per field.
  if nargin < 2 || isempty(fields)
    fields = fieldnames(data);
  end
  summary = struct('field', {}, 'class', {}, 'size', {}, 'min', {}, 'max', {}, 'mean', {});
  for k = 1:numel(fields)
    name = fields{k};
    if ~isfield(data, name)
      error('summarize_struct:field', 'the struct has no field "%s"; its fields: %s', name, strjoin(fieldnames(data)', ', '));
    end
    v = data.(name);
    entry = struct('field', name, 'class', class(v), 'size', size(v), 'min', [], 'max', [], 'mean', []);
    if isnumeric(v) && ~isempty(v)
      entry.min = min(v(:));
      entry.max = max(v(:));
      entry.mean = mean(v(:));
    end
    summary(end + 1) = entry;
  end
end
