"""Quality of the verify engine on real text: one module per measure.

Each module here (a name without a leading underscore) defines

    def measure(corpora: Path) -> list[Figure]

and `bench/bench_verify_quality.py` runs every one it finds. A figure is scored on the
development corpora in ../shared/corpora (measurement only: their texts are never copied
into the project) or on our own labelled development sets in `devsets/`, and always comes
with a naive baseline computed in the same run, so a reader sees what the engine adds.
"""
