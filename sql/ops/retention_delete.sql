-- Deletes a program's own retention period (back to the default). Parameters: $program_id.
delete from program_retention where program_id = $program_id
