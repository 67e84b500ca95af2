-- One row: the size of a program (participants, pairs, meetings), for the benchmarks' notes.
-- Parameters: $p (the program id).
select (select count(*) from participants where program_id = $p) as participants,
       (select count(*) from pairs where program_id = $p) as pairs,
       (select count(*) from meetings where program_id = $p) as meetings
