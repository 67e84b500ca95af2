-- One row: whether the program exists and the scope may see it. Admins see every program;
-- other roles see the programs their organization takes part in (has participants in).
-- Parameters: $program_id, $is_admin, $org_id (null for admin).
select exists (
  select 1 from programs as p
  where p.program_id = $program_id
    and ($is_admin or exists (
      select 1 from participants as x where x.program_id = p.program_id and x.org_id = $org_id
    ))
) as visible
