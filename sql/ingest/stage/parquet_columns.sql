-- One row per column of a Parquet file: its name and type. Parameters: $path.
describe select * from read_parquet($path)
