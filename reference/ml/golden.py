"""Write the deterministic golden fixtures of the ML stage from PySpark and scikit-learn.

Usage: golden.py DISCOGRAPHIES_CSV OUT_DIR

Runs one local Spark session (local[2], every DataFrame in one partition,
explicit seeds; run with PYTHONHASHSEED=0) and writes OUT_DIR/golden.json:
VectorAssembler on a hand-made table (keep, skip), StandardScaler statistics
and scaled rows on the 36-artist file, ClusteringEvaluator silhouettes for
given assignments (squaredEuclidean and cosine) beside scikit-learn's exact
Euclidean silhouette, KMeans fits whose result does not depend on the random
draw, and CrossValidator averages for a given foldCol.
"""
import json
import math
import os
import sys

import numpy as np
import pandas as pd
import pyspark
import sklearn
from pyspark.ml import Pipeline
from pyspark.ml.clustering import KMeans
from pyspark.ml.evaluation import ClusteringEvaluator
from pyspark.ml.feature import StandardScaler, VectorAssembler
from pyspark.ml.functions import vector_to_array
from pyspark.ml.linalg import Vectors
from pyspark.ml.tuning import CrossValidator, ParamGridBuilder
from pyspark.sql import SparkSession
from sklearn.cluster import KMeans as SkKMeans
from sklearn.metrics import silhouette_score

FEATURES = ["acousticness", "danceability", "energy", "instrumentalness", "liveness",
            "loudness", "speechiness", "tempo", "valence"]


def clean(value):
    """Replace NaN by None recursively so the output is strict JSON."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (list, tuple)):
        return [clean(item) for item in value]
    if isinstance(value, dict):
        return {key: clean(item) for key, item in value.items()}
    if isinstance(value, (np.floating,)):
        return clean(float(value))
    if isinstance(value, (np.integer,)):
        return int(value)
    return value


def vectors(df, column):
    return [list(map(float, row[column])) for row in df.select(column).collect()]


def assembler_cases(spark):
    rows = [(1.0, 10, 0.5), (None, 11, 0.25), (float("nan"), 12, 0.125), (4.0, 13, None), (5.0, 14, 1.0)]
    df = spark.createDataFrame(rows, "a double, b int, c double").coalesce(1)
    # NaN cells are written as the string "NaN" so they stay distinct from null.
    marked = [["NaN" if isinstance(v, float) and math.isnan(v) else v for v in row] for row in rows]
    cases = {"rows": marked, "columns": ["a", "b", "c"]}
    for mode in ("keep", "skip"):
        out = VectorAssembler(inputCols=["a", "b", "c"], outputCol="features", handleInvalid=mode).transform(df)
        cases[mode] = vectors(out, "features")
    return cases


def blobs(seed, per_blob, centres, spread):
    rng = np.random.default_rng(seed)
    points, labels = [], []
    for index, centre in enumerate(centres):
        points.append(rng.normal(centre, spread, size=(per_blob, len(centre))))
        labels += [index] * per_blob
    return np.vstack(points), np.array(labels)


def main():
    data_path, out_dir = sys.argv[1], sys.argv[2]
    spark = (SparkSession.builder.master("local[2]").appName("grooviest-golden")
             .config("spark.sql.shuffle.partitions", "1")
             .config("spark.default.parallelism", "1")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    golden = {"pyspark": pyspark.__version__, "sklearn": sklearn.__version__}

    golden["assembler"] = assembler_cases(spark)

    # StandardScaler on the real file (nine default features, file order).
    tracks = pd.read_csv(data_path, encoding="cp1252")[FEATURES].astype(float)
    df = spark.createDataFrame(tracks).coalesce(1)
    assembled = VectorAssembler(inputCols=FEATURES, outputCol="features").transform(df)
    scaler = StandardScaler(inputCol="features", outputCol="scaled", withMean=True, withStd=True).fit(assembled)
    scaled_df = scaler.transform(assembled).cache()
    scaled = np.array(vectors(scaled_df, "scaled"))
    golden["scaler"] = {
        "rows": len(tracks),
        "mean": list(map(float, scaler.mean)),
        "std": list(map(float, scaler.std)),
        "firstRows": scaled[:5].tolist(),
        "columnSums": scaled.sum(axis=0).tolist(),
    }
    small = spark.createDataFrame([(Vectors.dense([1.0, 2.0, 3.0]),), (Vectors.dense([1.0, 4.0, 9.0]),), (Vectors.dense([1.0, 6.0, 0.0]),)], ["features"]).coalesce(1)
    small_model = StandardScaler(inputCol="features", outputCol="scaled", withMean=True, withStd=True).fit(small)
    one_row = spark.createDataFrame([(Vectors.dense([3.0, -2.0]),)], ["features"]).coalesce(1)
    one_model = StandardScaler(inputCol="features", outputCol="scaled", withMean=True, withStd=True).fit(one_row)
    golden["scalerSmall"] = {
        "zeroVariance": {"mean": list(map(float, small_model.mean)), "std": list(map(float, small_model.std)), "scaled": vectors(small_model.transform(small), "scaled")},
        "oneRow": {"std": list(map(float, one_model.std)), "scaled": vectors(one_model.transform(one_row), "scaled")},
        "defaults": vectors(StandardScaler(inputCol="features", outputCol="scaled").fit(small).transform(small), "scaled"),
    }

    # Silhouettes for given assignments (scikit-learn KMeans labels, fixed seeds).
    silhouettes = []
    for k in (3, 8):
        labels = SkKMeans(n_clusters=k, n_init=1, random_state=k).fit(scaled).labels_.astype(int)
        # Build the frame from columns (fast) and assemble the scaled vectors again in Spark.
        frame = pd.DataFrame(scaled, columns=FEATURES)
        frame["prediction"] = labels
        labelled = VectorAssembler(inputCols=FEATURES, outputCol="features").transform(spark.createDataFrame(frame).coalesce(1))
        entry = {"k": k, "labels": labels.tolist()}
        for measure in ("squaredEuclidean", "cosine"):
            entry[measure] = ClusteringEvaluator(distanceMeasure=measure).evaluate(labelled)
        entry["euclideanExact"] = float(silhouette_score(scaled, labels, metric="euclidean"))
        silhouettes.append(entry)
    golden["silhouette"] = silhouettes
    small_points = [[0.0, 0.0], [0.0, 1.0], [5.0, 5.0], [5.0, 6.0], [6.0, 5.0], [10.0, 0.0]]
    small_labels = [0, 0, 1, 1, 1, 2]
    small_df = spark.createDataFrame([(Vectors.dense(p), l, w) for p, l, w in zip(small_points, small_labels, [1.0, 2.0, 1.0, 0.5, 1.0, 3.0])], ["features", "prediction", "weight"]).coalesce(1)
    golden["silhouetteSmall"] = {
        "points": small_points,
        "labels": small_labels,
        "weights": [1.0, 2.0, 1.0, 0.5, 1.0, 3.0],
        "squaredEuclidean": ClusteringEvaluator().evaluate(small_df),
        "weightedSquaredEuclidean": ClusteringEvaluator(weightCol="weight").evaluate(small_df),
        "euclideanExact": float(silhouette_score(np.array(small_points), np.array(small_labels))),
    }

    # KMeans fits whose result does not depend on the random draw: well-separated blobs.
    # The blobs lie far from the origin in distinct directions, so they separate by angle too.
    points, _ = blobs(7, 30, [[10, 0, 0], [0, 10, 0], [0, 0, 10]], 0.5)
    blob_df = spark.createDataFrame([(Vectors.dense(p),) for p in points.tolist()], ["features"]).coalesce(1)
    kmeans_cases = {"points": points.tolist(), "fits": []}
    for measure in ("euclidean", "cosine"):
        model = KMeans(k=3, seed=1, distanceMeasure=measure).fit(blob_df)
        kmeans_cases["fits"].append({
            "distanceMeasure": measure,
            "centers": sorted(list(map(float, c)) for c in model.clusterCenters()),
            "trainingCost": model.summary.trainingCost,
        })
    duplicates = [[1.0, 1.0], [1.0, 1.0], [2.0, 2.0], [2.0, 2.0], [9.0, 9.0]]
    dup_df = spark.createDataFrame([(Vectors.dense(p),) for p in duplicates], ["features"]).coalesce(1)
    dup_model = KMeans(k=4, seed=1).fit(dup_df)
    kmeans_cases["fewerDistinct"] = {
        "points": duplicates,
        "k": 4,
        "centers": sorted(list(map(float, c)) for c in dup_model.clusterCenters()),
        "trainingCost": dup_model.summary.trainingCost,
    }
    golden["kmeans"] = kmeans_cases

    # CrossValidator averaging with a given foldCol (blob data, so every fit finds the blobs).
    cv_points, _ = blobs(11, 20, [[0, 0], [8, 0], [0, 8]], 0.6)
    folds = [i % 3 for i in range(len(cv_points))]
    cv_df = spark.createDataFrame([(float(x), float(y), f) for (x, y), f in zip(cv_points.tolist(), folds)], ["x", "y", "fold"]).coalesce(1)
    cv_kmeans = KMeans(featuresCol="scaled", seed=5)
    pipeline = Pipeline(stages=[VectorAssembler(inputCols=["x", "y"], outputCol="features"),
                                StandardScaler(inputCol="features", outputCol="scaled", withMean=True, withStd=True), cv_kmeans])
    grid = ParamGridBuilder().addGrid(cv_kmeans.k, [3]).addGrid(cv_kmeans.maxIter, [10, 20]).build()
    evaluator = ClusteringEvaluator(featuresCol="scaled")
    cv_model = CrossValidator(estimator=pipeline, estimatorParamMaps=grid, evaluator=evaluator, numFolds=3, foldCol="fold", seed=3).fit(cv_df)
    fold_metrics = []
    for fold in range(3):
        train = cv_df.filter(cv_df.fold != fold)
        valid = cv_df.filter(cv_df.fold == fold)
        fold_metrics.append(evaluator.evaluate(pipeline.copy({cv_kmeans.k: 3}).fit(train).transform(valid)))
    golden["crossValidator"] = {
        "points": cv_points.tolist(),
        "folds": folds,
        "avgMetrics": list(cv_model.avgMetrics),
        "stdMetrics": list(cv_model.stdMetrics),
        "foldMetrics": fold_metrics,
    }

    spark.stop()
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "golden.json"), "w") as handle:
        json.dump(clean(golden), handle, indent=1, allow_nan=False)
        handle.write("\n")


if __name__ == "__main__":
    main()
