import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "../../analytics/auth/request.server.ts";
import { getAppDb } from "../../analytics/db/app-db.server.ts";
import { listPrograms } from "../../analytics/programs/list.server.ts";

export const meta: MetaFunction = () => [{ title: "Programs · Binôme" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { scope } = await requireUser(request);
  const programs = await listPrograms(await getAppDb(), scope);
  return { programs, isAdmin: scope.role === "admin" };
}

const KIND_LABEL = { intra: "Intra-company", inter: "Inter-company" } as const;

function formatDate(iso: string): string {
  return new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));
}

export default function Programs() {
  const { programs, isAdmin } = useLoaderData<typeof loader>();
  const integer = new Intl.NumberFormat("en-GB");
  return (
    <section>
      <h1>Programs</h1>
      {programs.length === 0 && !isAdmin ? (
        <div className="empty">
          <p>
            <strong>No program of your organization has been imported yet.</strong>
          </p>
        </div>
      ) : programs.length === 0 ? (
        <div className="empty">
          <p>
            <strong>No program has been imported yet.</strong>
          </p>
          <p>
            Import a program's export (see <code>docs/export-format.md</code>) with{" "}
            <code>npm run ingest -- path/to/export</code> while the server is stopped, or restart with{" "}
            <code>BINOME_DEMO=1</code> on an empty database to load the demo programs.
          </p>
        </div>
      ) : (
        <>
          <p className="lead">
            {programs.length} program{programs.length > 1 ? "s" : ""} {isAdmin ? "in this database" : "your organization takes part in"}.
          </p>
          <table className="data" aria-label="Programs">
            <thead>
              <tr>
                <th scope="col">Program</th>
                <th scope="col">Kind</th>
                <th scope="col">Start</th>
                <th scope="col">End</th>
                <th scope="col" className="num">Participants</th>
                <th scope="col" className="num">Pairs</th>
              </tr>
            </thead>
            <tbody>
              {programs.map((p) => (
                <tr key={p.program_id} data-program-id={p.program_id}>
                  <td>
                    <Link to={`/programs/${encodeURIComponent(p.program_id)}`}>
                      <strong>{p.name}</strong>
                    </Link>
                    <br />
                    <small>{p.program_id}</small>
                  </td>
                  <td>
                    <span className="badge">{KIND_LABEL[p.kind] ?? p.kind}</span>
                  </td>
                  <td>{formatDate(p.start_date)}</td>
                  <td>{formatDate(p.end_date)}</td>
                  <td className="num">{integer.format(p.participants)}</td>
                  <td className="num">{integer.format(p.pairs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
