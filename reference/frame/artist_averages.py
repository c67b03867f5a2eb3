"""Per-artist averages of the audio features of a spotifyr-style CSV, computed
with pandas, independently of grooviest's DuckDB loader.

Usage: python artist_averages.py INPUT.csv ENCODING > averages.json
Prints a JSON object: artist -> {tracks, feature: mean, ..., duration_min}.
"""
import json
import sys

import pandas as pd

PITCH_CLASSES = {"C": 0, "C#": 1, "D": 2, "D#": 3, "E": 4, "F": 5, "F#": 6, "G": 7, "G#": 8, "A": 9, "A#": 10, "B": 11}
FEATURES = ["danceability", "energy", "speechiness", "acousticness", "instrumentalness",
            "liveness", "valence", "loudness", "tempo", "time_signature"]


def main() -> None:
    path, encoding = sys.argv[1], sys.argv[2]
    frame = pd.read_csv(path, encoding=encoding)
    frame["key"] = frame["key"].map(PITCH_CLASSES)
    frame["mode"] = (frame["mode"] == "major").astype(float)
    frame["duration_min"] = frame["duration_ms"] / 60 / 1000
    grouped = frame.groupby("artist_name")
    result = {}
    for artist, rows in grouped:
        entry = {"tracks": int(len(rows))}
        for column in FEATURES + ["key", "mode", "duration_min"]:
            entry[column] = float(rows[column].mean())
        result[artist] = entry
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
