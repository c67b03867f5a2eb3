"""The k objective of the reference workflow for every k in 3..19 on the
36-artist discographies, computed once with scikit-learn, so searchers can be
scored by regret without refitting.

Objective: 3-fold cross-validation (KFold, shuffled, random_state 42) of
StandardScaler + KMeans(k, random_state 42) fitted on the training folds.
The score of a fold is the silhouette with squared Euclidean distance
(Spark's default) on its validation rows, and the loss is minus the mean
over folds. Features: the nine default feature columns.

Run from the repository root:
  .venv-reference/bin/python reference/tune/k_objective_table.py ../shared/data/discographies-36-artists.csv
writes test/fixtures/tune/k-objective-table.json.
"""
import json
import sys

import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from sklearn.model_selection import KFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

FEATURES = ["acousticness", "danceability", "energy", "instrumentalness", "liveness", "loudness", "speechiness", "tempo", "valence"]


def main():
    path = sys.argv[1]
    frame = pd.read_csv(path, encoding="cp1252")
    X = frame[FEATURES].dropna().to_numpy(dtype=float)
    folds = list(KFold(n_splits=3, shuffle=True, random_state=42).split(X))
    table = []
    for k in range(3, 20):
        scores = []
        for train, validation in folds:
            pipeline = Pipeline([("scaler", StandardScaler()), ("kmeans", KMeans(n_clusters=k, random_state=42, n_init="auto"))])
            pipeline.fit(X[train])
            labels = pipeline.predict(X[validation])
            scaled = pipeline.named_steps["scaler"].transform(X[validation])
            scores.append(float(silhouette_score(scaled, labels, metric="sqeuclidean")))
        table.append({"k": k, "silhouettes": scores, "mean": float(np.mean(scores)), "loss": -float(np.mean(scores))})
        print(k, np.mean(scores), file=sys.stderr)
    out = {"rows": int(X.shape[0]), "features": FEATURES, "sklearn": sklearn.__version__, "numFolds": 3, "seed": 42, "table": table}
    with open("test/fixtures/tune/k-objective-table.json", "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
