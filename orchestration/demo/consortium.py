"""Who is in the demo consortium: organisations of different sectors and
places, each publishing in its own format."""

from __future__ import annotations

from dataclasses import dataclass

CSV_COLUMNS = {
    "event_id": "id_evento", "org_id": "ente", "event_type": "tipo_evento", "schema_version": "versione",
    "occurred_at": "data_ora", "actor_ref": "registrato_da", "payload": "dati",
}
# Italian labels of the event types, as an Italian cooperative exports them.
ITALIAN_LABELS = {
    "adesione": "member.joined", "recesso": "member.left", "avvio_iniziativa": "initiative.launched",
    "chiusura_iniziativa": "initiative.closed", "contributo": "contribution.logged",
    "risorsa": "resource.committed", "condivisione_bene": "asset.shared",
    "coalizione_costituita": "coalition.formed", "coalizione_adesione": "coalition.joined",
    "coalizione_uscita": "coalition.left", "coalizione_sciolta": "coalition.dissolved",
    "valutazione": "feedback.recorded", "replica_pratica": "practice.replicated", "rettifica": "event.retracted",
    "esito": "outcome.reported", "tavolo_ingresso": "policy.table_joined", "tavolo_uscita": "policy.table_left",
}


@dataclass(frozen=True)
class DemoOrg:
    org_id: str
    name: str
    sector: str
    locality: str
    format: str


BASE_ORGS = (
    DemoOrg("coop-verde", "Cooperativa Verde", "agriculture", "Bologna", "ndjson"),
    DemoOrg("fondazione-ponte", "Fondazione Ponte", "philanthropy", "Milano", "csv"),
    DemoOrg("care-collective", "Care Collective", "social_care", "Torino", "parquet"),
    DemoOrg("officina-digitale", "Officina Digitale", "digital", "Bologna", "ndjson"),
    DemoOrg("casa-comune", "Associazione Casa Comune", "housing", "Napoli", "csv"),
    DemoOrg("energia-insieme", "Energia Insieme", "energy", "Trento", "parquet"),
    DemoOrg("scuola-aperta", "Scuola Aperta", "education", "Palermo", "ndjson"),
    DemoOrg("comune-lab", "Comune Lab", "public_service", "Firenze", "ndjson"),
)
SECTORS = ("agriculture", "philanthropy", "social_care", "digital", "housing", "energy", "education", "culture")
LOCALITIES = ("Bologna", "Milano", "Torino", "Napoli", "Trento", "Palermo", "Firenze", "Bari", "Genova")
FORMATS = ("ndjson", "csv", "parquet")


def demo_orgs(count: int, only_format: str | None = None) -> list[DemoOrg]:
    """The first `count` organisations; past the named ones, more are made
    in the same pattern (sector, place and format in rotation). With
    `only_format`, every feed uses that format (for benchmarks)."""
    orgs = list(BASE_ORGS[:count])
    for index in range(len(orgs), count):
        orgs.append(DemoOrg(
            f"org-{index + 1:03d}", f"Organisation {index + 1}", SECTORS[index % len(SECTORS)],
            LOCALITIES[index % len(LOCALITIES)], FORMATS[index % len(FORMATS)],
        ))
    if only_format:
        orgs = [DemoOrg(o.org_id, o.name, o.sector, o.locality, only_format) for o in orgs]
    return orgs
