"""What the demo's people talk about and who they are: the banks ``demo.history`` draws
from. Plain data, written to read like an OpenStack PTG of the Zed cycle (April 2022).

The topics leave out those of ``SAMPLE_COMMANDS`` and the replay's script, which come
"now", so that the history does not repeat them before their time. Nicks are fictional
first names, like the event file's fictional chairs.
"""

from __future__ import annotations

# A team's own topics, in the order it discusses them; teams not named here draw on
# GENERIC after their own (if any) run out.
TEAM_TOPICS: dict[str, tuple[str, ...]] = {
    "nova": (
        "Yoga retrospective: what went well, what did not",
        "Secure RBAC: enabling the new defaults by default",
        "Stable compute node UUIDs when a hostname changes",
        "vGPU and mdev devices: live migration",
        "PCI devices tracked in Placement",
        "Minimum libvirt and QEMU versions for Zed",
        "Libvirt: virtio-blk multiqueue and vIOMMU",
        "Zed blueprints: which specs we can review in time",
    ),
    "neutron": (
        "Yoga retrospective and Zed priorities",
        "ML2/OVN as the default: the migration path from ML2/OVS",
        "OVN: distributed floating IPs and gateway scheduling",
        "Secure RBAC, phase 2: the service role",
        "Routed provider networks and Placement",
        "The Linuxbridge driver: keep it or deprecate it",
        "neutron-lib and the stadium projects",
        "Periodic jobs and gate stability",
    ),
    "cinder": (
        "Yoga retrospective and Zed priorities",
        "Multi-attach of encrypted volumes",
        "Driver CI compliance and unsupported drivers",
        "Quota system rework",
        "os-brick: the NVMe-oF connector",
        "Image-volume cache with Glance multistore",
        "Secure RBAC: the new personas in Cinder",
        "Default volume types and retyping between backends",
    ),
    "tc": (
        "Yoga retrospective of the TC",
        "Python runtimes for the 2023.1 cycle",
        "Release naming after Zed",
        "Skyline as an official OpenStack project",
        "Inactive projects and how to revive them",
        "CI resources and gate health across projects",
        "TC and community leaders: what we bring to the Berlin summit",
        "Renewing the TC charter's election process",
    ),
    "ironic": (
        "Redfish virtual media and HTTP boot",
        "The anaconda deploy interface",
        "Conductor sharding for very large fleets",
        "Secure RBAC in Ironic: the project-scoped owner and lessee",
        "Fast-track deployments by default",
        "Bifrost and the metal3 integration",
    ),
    "manila": (
        "CephFS: from NFS-Ganesha to the Ceph NFS service",
        "Share server migration between back ends",
        "OpenStack client: closing the gaps with the manila client",
        "Metadata for share snapshots and export locations",
        "Secure RBAC and the tempest tests",
    ),
    "kolla": (
        "Ubuntu 22.04 and Rocky Linux 9 images",
        "Let's Encrypt certificates in kolla-ansible",
        "Dropping the binary images",
        "Zun and Monasca: keep or retire",
        "Ansible collections: moving off deprecated modules",
    ),
    "keystone": (
        "OAuth 2.0 client credentials",
        "Secure RBAC: system scope and the service roles",
        "Federated identity: mapping rules that people understand",
        "Application credentials with access rules",
    ),
    "glance": (
        "Glance multistore with the Cinder back end",
        "Image import: the new plugins",
        "Quotas through unified limits",
        "Cache management API",
    ),
    "swift": (
        "Automatic container sharding",
        "S3 API gaps that operators hit",
        "Ring rebalancing at scale",
        "Python 3 only: the last py2 leftovers",
    ),
    "starlingx": (
        "StarlingX 7.0: what made it and what slipped",
        "Kubernetes 1.23 and the container platform upgrade path",
        "Debian as the base OS: migration status",
        "Distributed cloud: scaling to a thousand subclouds",
        "Time-sensitive networking and PTP at the far edge",
        "Backup and restore of a subcloud",
    ),
    "tacker": (
        "ETSI NFV SOL 003 and SOL 005 v3 APIs",
        "Container network functions on Kubernetes",
        "VNF auto-healing and auto-scaling with Prometheus",
        "Multi-tenancy and Secure RBAC in Tacker",
        "Functional tests: moving to the new multinode jobs",
        "Retiring the legacy VNF APIs",
    ),
    "openstack-helm": (
        "Charts for Yoga and Zed images",
        "Helm 3 only: the last Helm 2 leftovers",
        "Ceph through Rook instead of the ceph charts",
        "Gate jobs on a multinode Kubernetes",
        "Upgrades of a running cloud, chart by chart",
    ),
    "tripleo": (
        "CentOS Stream 9 and the container images",
        "Removing the undercloud's heat dependency",
        "Ephemeral Heat and the standalone deployments",
        "Directord and Task-Core: keep or drop",
        "FIPS-enabled deployments",
    ),
    "qa": (
        "Tempest: scenario tests that still flake",
        "Devstack on Ubuntu 22.04",
        "Grenade jobs for the skip-level upgrades",
        "Secure RBAC: scoped tokens in the Tempest tests",
        "Cleaning up the stable branches' jobs",
    ),
    "octavia": (
        "Amphora v2 and the jobboard by default",
        "OVN provider: feature gaps with the amphora driver",
        "HTTP/2 and ALPN for listeners",
        "Failover of amphorae in large deployments",
    ),
    "cyborg": (
        "Accelerator programming through the new API",
        "Nova and Cyborg: vGPU and the device profiles",
        "SmartNIC support with Neutron",
    ),
    "first-contact": (
        "Newcomers' welcome: how to get your first patch in",
        "Mentoring: pairing newcomers with core reviewers",
        "The contributor guide: what is out of date",
    ),
    "diversity": (
        "Results of the community survey",
        "Inclusive naming in code and documentation",
        "Welcoming contributors across time zones",
    ),
}

# Topics any team has at a PTG: how it starts (for teams without their own topics), then
# the others in an order of each team's own.
OPENING: tuple[str, ...] = ("Yoga retrospective", "Zed priorities and who works on what")
GENERIC: tuple[str, ...] = (
    "Bug triage: the backlog and the critical bugs",
    "CI: flaky jobs and the gate",
    "Secure RBAC: the new defaults",
    "Python 3.10 support",
    "Documentation gaps",
    "Deprecations and removals for Zed",
    "Cross-project: adopting openstacksdk",
    "Review bandwidth and new core reviewers",
    "Operators' feedback",
    "Release deliverables and deadlines for Zed",
    "Upgrade testing: skip-level upgrades",
    "Technical debt: what we can drop this cycle",
    "Stable branches: what we keep maintained",
    "Feedback from the OpenStack user survey",
    "Performance and scale testing",
    "Ideas for the next PTG",
)

ONBOARDING = "Onboarding: a tour of the project for newcomers"
FOLLOW_UP = "Follow-up on {topic}"

# What a chair writes as a topic's outcome (``#TEAM outcome N TEXT``).
OUTCOMES: tuple[str, ...] = (
    "Agreed to go ahead in Zed; a spec will follow and needs two core reviewers.",
    "Consensus reached; the first patches are already up for review.",
    "No decision yet: we continue on the mailing list before the spec freeze.",
    "Postponed to the next cycle, for lack of people to do the work.",
    "Agreed in principle; someone volunteered to write down the details in the etherpad.",
    "We keep things as they are and document why.",
)

# Attendees who check in and out of sessions, besides the chairs and the organizer.
ATTENDEES: tuple[str, ...] = (
    "amara",
    "bjorn",
    "chen-wei",
    "dario",
    "elif",
    "farah",
    "gustavo",
    "hana",
    "ivo",
    "jun",
    "kofi",
    "lena",
    "mateus",
    "noor",
    "olga",
    "priya",
    "quentin",
    "rosa",
    "sven",
    "tomoko",
    "uma",
    "viktor",
    "wen",
    "yusuf",
    "aiko",
    "bruno",
    "carmen",
    "dmitri",
    "esra",
    "femi",
    "greta",
    "hugo",
    "ines",
    "jonas",
    "kavya",
    "luca",
    "mei",
    "nadia",
    "oscar",
    "paulo",
    "rania",
    "soren",
    "tariq",
    "valeria",
    "wiktor",
    "xiu",
    "yara",
    "zeynep",
    "anouk",
    "bashir",
    "chiara",
    "dong",
    "emeka",
    "fatima",
    "goran",
    "hiroshi",
    "ilse",
    "jamal",
    "kerstin",
    "lior",
    "malik",
    "nikos",
    "oona",
    "pedro",
)

# Teams whose sessions draw a crowd: more check-ins.
BUSY = frozenset({"nova", "neutron", "cinder", "tc", "ironic", "kolla", "keystone", "manila"})
