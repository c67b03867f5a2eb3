"""Record Spark ML KMeans training costs for the KMeans quality study.

Usage: kmeans-quality.py DISCOGRAPHIES_CSV OUT_JSON [SEEDS]

Fits pyspark.ml KMeans (default k-means|| initialisation, maxIter 20,
tol 1e-4) with seeds 0..SEEDS-1 (default 100) and k = 3, 8, 15 on the 36-artist file's nine
default features, standardised by Spark's StandardScaler (withMean,
withStd), in one local[2] session with one partition. Run with
PYTHONHASHSEED=0. bench/ml/kmeans-quality.ts compares grooviest's costs with
these on the same data. Regenerated on demand, not in CI (about 15 minutes
for 100 seeds).
"""
import json
import sys
import time

import pandas as pd
import pyspark
from pyspark.ml.clustering import KMeans
from pyspark.ml.feature import StandardScaler, VectorAssembler
from pyspark.sql import SparkSession

FEATURES = ["acousticness", "danceability", "energy", "instrumentalness", "liveness",
            "loudness", "speechiness", "tempo", "valence"]
DEFAULT_SEEDS = 100
KS = [3, 8, 15]


def main():
    data_path, out_path = sys.argv[1], sys.argv[2]
    seeds = list(range(int(sys.argv[3]) if len(sys.argv) > 3 else DEFAULT_SEEDS))
    spark = (SparkSession.builder.master("local[2]").appName("grooviest-kmeans-quality")
             .config("spark.sql.shuffle.partitions", "1")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    tracks = pd.read_csv(data_path, encoding="cp1252")[FEATURES].astype(float)
    df = VectorAssembler(inputCols=FEATURES, outputCol="features").transform(spark.createDataFrame(tracks).coalesce(1))
    scaled = StandardScaler(inputCol="features", outputCol="scaled", withMean=True, withStd=True).fit(df).transform(df).select("scaled").cache()
    scaled.count()

    fits = []
    for k in KS:
        for seed in seeds:
            started = time.perf_counter()
            model = KMeans(k=k, seed=seed, featuresCol="scaled").fit(scaled)
            summary = model.summary
            fits.append({
                "k": k,
                "seed": seed,
                "trainingCost": summary.trainingCost,
                "numIter": summary.numIter,
                "numCenters": len(model.clusterCenters()),
                "clusterSizes": list(summary.clusterSizes),
                "seconds": time.perf_counter() - started,
            })
    spark.stop()
    with open(out_path, "w") as handle:
        json.dump({"pyspark": pyspark.__version__, "rows": len(tracks), "seeds": len(seeds), "fits": fits}, handle, indent=1)
        handle.write("\n")


if __name__ == "__main__":
    main()
