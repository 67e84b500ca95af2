-- Deletes the intruder audits of a program (the program is deleted for good). Parameters: $program_id.
delete from privacy_audits where program_id = $program_id
