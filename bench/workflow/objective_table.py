"""The k objective table with PySpark, for the agreement study of the workflow benchmark.

For every k in 3..19 and every KMeans seed given: the mean 3-fold silhouette
of CrossValidator(foldCol='fold') over VectorAssembler -> StandardScaler ->
KMeans(k, seed) with ClusteringEvaluator, in PySpark local[2] with 2
partitions. The folds are drawn here (NumPy, seeded) and written with the
feature rows to a CSV, so that grooviest evaluates the same rows in the same
folds (bench/workflow/agreement.ts reads it).

    PYTHONHASHSEED=0 python objective_table.py INPUT FOLDS_CSV OUT_JSON [--seeds 42,7,2026]

An existing OUT_JSON of the same rows and folds is extended with the seeds it lacks.
"""

import argparse
import json
import os
import time

import numpy as np
import pandas as pd
import pyspark
from pyspark.ml import Pipeline
from pyspark.ml.clustering import KMeans
from pyspark.ml.evaluation import ClusteringEvaluator
from pyspark.ml.feature import StandardScaler, VectorAssembler
from pyspark.ml.tuning import CrossValidator, ParamGridBuilder
from pyspark.sql import SparkSession

FEATURES = ['acousticness', 'danceability', 'energy', 'instrumentalness', 'liveness',
            'loudness', 'speechiness', 'tempo', 'valence']


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('input')
    parser.add_argument('folds_csv')
    parser.add_argument('out_json')
    parser.add_argument('--seeds', default='42,7,2026', help='KMeans seeds, comma-separated')
    parser.add_argument('--fold-seed', type=int, default=42)
    parser.add_argument('--k-min', type=int, default=3)
    parser.add_argument('--k-max', type=int, default=19)
    args = parser.parse_args()
    seeds = [int(seed) for seed in args.seeds.split(',')]

    encoding = 'cp1252' if 'discographies' in os.path.basename(args.input) else 'utf-8'
    frame = pd.read_csv(args.input, encoding=encoding)[FEATURES].astype('float64')
    frame['fold'] = np.random.default_rng(args.fold_seed).integers(0, 3, len(frame)).astype('int32')
    with open(args.folds_csv, 'w') as handle:
        handle.write(','.join(FEATURES + ['fold']) + '\n')
        for row in frame.itertuples(index=False):
            handle.write(','.join(repr(float(value)) for value in row[:-1]) + f',{int(row[-1])}\n')

    spark = (SparkSession.builder.master('local[2]').appName('objective-table')
             .config('spark.sql.shuffle.partitions', '2').config('spark.ui.enabled', 'false')
             .config('spark.ui.showConsoleProgress', 'false').config('spark.driver.memory', '2g').getOrCreate())
    spark.sparkContext.setLogLevel('ERROR')
    data = spark.createDataFrame(frame).repartition(2).cache()
    data.count()

    assembler = VectorAssembler(inputCols=FEATURES, outputCol='features')
    scaler = StandardScaler(inputCol='features', outputCol='scaled_features', withMean=True, withStd=True)
    evaluator = ClusteringEvaluator(featuresCol='scaled_features', predictionCol='prediction')
    table = {'rows': len(frame), 'seeds': [], 'fold_seed': args.fold_seed, 'pyspark': pyspark.__version__, 'k': {}}
    if os.path.exists(args.out_json):
        # Adds seeds to an earlier table of the same rows and folds instead of recomputing it.
        with open(args.out_json) as handle:
            earlier = json.load(handle)
        if earlier['rows'] == len(frame) and earlier['fold_seed'] == args.fold_seed:
            table = earlier
    table['seeds'] = table['seeds'] + [seed for seed in seeds if seed not in table['seeds']]
    for k in range(args.k_min, args.k_max + 1):
        table['k'].setdefault(str(k), {})
        for seed in seeds:
            if str(seed) in table['k'][str(k)]:
                continue
            started = time.perf_counter()
            kmeans = KMeans(featuresCol='scaled_features', predictionCol='prediction', seed=seed, k=k)
            validator = CrossValidator(estimator=Pipeline(stages=[assembler, scaler, kmeans]),
                                       estimatorParamMaps=ParamGridBuilder().addGrid(kmeans.k, [k]).build(),
                                       evaluator=evaluator, foldCol='fold', numFolds=3)
            table['k'][str(k)][str(seed)] = validator.fit(data).avgMetrics[0]
            print(f'k={k} seed={seed}: {table["k"][str(k)][str(seed)]:.6f} ({time.perf_counter() - started:.1f} s)', flush=True)
        # Written after every k, so a cut-short run still leaves its rows.
        with open(args.out_json, 'w') as handle:
            json.dump(table, handle, indent=1)
    spark.stop()


if __name__ == '__main__':
    main()
