function figures = mcp_bridge_figures(settings)
% MCP_BRIDGE_FIGURES  Export every open figure to the session folder's figures/ and close it.
%   figures = mcp_bridge_figures(settings) returns one struct per open figure (a cell array, so one figure still
%   encodes as a JSON array): 'file' (the PNG, relative to the session folder), and with settings.format 'svg' also
%   'svg', with 'plotly' also 'data' (mcp_bridge_figure_data's description). A figure that fails to export carries
%   'error' instead. Figures past settings.max_figures are closed unexported and counted in a last entry 'dropped'.
%   settings.format 'none' exports nothing and closes nothing: the figures stay for a later call to export.
%   Runs after the code, so every open figure is one the code created or changed (earlier calls closed theirs).
  figures = {};
  if strcmp(settings.format, 'none')
    return;
  end
  handles = sort(get(0, 'children'));  % figure numbers: creation order
  if isempty(handles)
    return;
  end
  isOctave = exist('OCTAVE_VERSION', 'builtin') ~= 0;
  roots = mcp_session_roots();
  folder = fullfile(roots{1}, 'figures');
  if ~exist(folder, 'dir')
    builtin('mkdir', folder);  % the mkdir shadow is for user code
  end
  count = min(numel(handles), settings.max_figures);
  figures = cell(1, count);
  for k = 1:count
    h = handles(k);
    base = sprintf('figures/%s%d', settings.prefix, k);
    entry = struct('file', [base '.png']);
    try
      print(h, fullfile(roots{1}, entry.file), png_device(isOctave), size_option(h, settings, isOctave));
    catch err
      figures{k} = struct('file', '', 'error', err.message);
      continue;
    end
    % The PNG is what the model sees: a failed extra is reported beside it, never instead of it.
    try
      if strcmp(settings.format, 'svg')
        print(h, fullfile(roots{1}, [base '.svg']), '-dsvg');
        entry.svg = [base '.svg'];
      elseif strcmp(settings.format, 'plotly')
        entry.data = mcp_bridge_figure_data(h, settings.max_points);
      end
    catch err
      entry.error = sprintf('no %s: %s', settings.format, err.message);
    end
    figures{k} = entry;
  end
  dropped = numel(handles) - count;
  if dropped > 0
    figures{end + 1} = struct('dropped', dropped);
  end
  close(handles);
end

function device = png_device(isOctave)
  % Octave: cairo draws directly (~0.2 s); -dpng goes through ghostscript (~0.45 s).
  if isOctave
    device = '-dpngcairo';
  else
    device = '-dpng';
  end
end

function option = size_option(h, settings, isOctave)
% The figure's on-screen size (pixels at 96 per inch) at settings.dpi, narrowed (aspect kept) to settings.max_width
% pixels. Not the paper size: Octave derives that from the display's resolution, which differs between machines.
% Octave's cairo devices ignore -r past the screen size, so the size goes in pixels (-S); MATLAB takes -r.
  units = get(h, 'units');
  set(h, 'units', 'pixels');
  position = get(h, 'position');
  set(h, 'units', units);
  scale = min(settings.dpi / 96, settings.max_width / position(3));
  if isOctave
    option = sprintf('-S%d,%d', round(position(3) * scale), round(position(4) * scale));
  else
    option = sprintf('-r%d', floor(96 * scale));
  end
end
