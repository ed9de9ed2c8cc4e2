function result = convert_units(value, from, to, round_result)
% CONVERT_UNITS  Convert a length, mass or temperature between units.
%   result = convert_units(value, from, to, round_result): from and to are unit names (m, km, cm, mm, in, ft,
%   mi; kg, g, lb, oz; C, F, K); round_result (logical) rounds to 3 decimals.
  lengths = struct('m', 1, 'km', 1000, 'cm', 0.01, 'mm', 0.001, 'in', 0.0254, 'ft', 0.3048, 'mi', 1609.344);
  masses = struct('kg', 1, 'g', 0.001, 'lb', 0.45359237, 'oz', 0.028349523125);
  temperatures = {'C', 'F', 'K'};
  if isfield(lengths, from) && isfield(lengths, to)
    result = value * lengths.(from) / lengths.(to);
  elseif isfield(masses, from) && isfield(masses, to)
    result = value * masses.(from) / masses.(to);
  elseif any(strcmp(from, temperatures)) && any(strcmp(to, temperatures))
    result = from_kelvin(to_kelvin(value, from), to);
  else
    error('convert_units:units', 'cannot convert "%s" to "%s": both must be lengths (m, km, cm, mm, in, ft, mi), masses (kg, g, lb, oz) or temperatures (C, F, K)', from, to);
  end
  if round_result
    result = round(result * 1000) / 1000;
  end
end

function k = to_kelvin(v, unit)
  switch unit
    case 'C'
      k = v + 273.15;
    case 'F'
      k = (v - 32) * 5 / 9 + 273.15;
    otherwise
      k = v;
  end
end

function v = from_kelvin(k, unit)
  switch unit
    case 'C'
      v = k - 273.15;
    case 'F'
      v = (k - 273.15) * 9 / 5 + 32;
    otherwise
      v = k;
  end
end
