import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RandomGenerator } from '../src/random.js';

test('RandomGenerator: same seed repeats', () => {
  const a = new RandomGenerator(42);
  const b = new RandomGenerator(42);
  for (let i = 0; i < 100; i++) assert.equal(a.nextFloat(), b.nextFloat());
});

test('RandomGenerator: different seeds differ', () => {
  assert.notEqual(new RandomGenerator(1).nextFloat(), new RandomGenerator(2).nextFloat());
});

test('RandomGenerator: state round-trips through JSON', () => {
  const a = new RandomGenerator(7);
  a.nextFloat();
  const b = RandomGenerator.fromState(JSON.parse(JSON.stringify(a.state())));
  for (let i = 0; i < 10; i++) assert.equal(a.nextUint32(), b.nextUint32());
});

test('RandomGenerator: floats lie in [0, 1) with mean near 0.5', () => {
  const generator = new RandomGenerator(3);
  let sum = 0;
  for (let i = 0; i < 100000; i++) {
    const value = generator.nextFloat();
    assert.ok(value >= 0, `value ${value}`);
    assert.ok(value < 1, `value ${value}`);
    sum += value;
  }
  assert.ok(Math.abs(sum / 100000 - 0.5) < 0.01);
});

test('RandomGenerator: nextInt covers its range uniformly', () => {
  const generator = new RandomGenerator(5);
  const counts = new Array(17).fill(0);
  for (let i = 0; i < 170000; i++) counts[generator.nextInt(17)] += 1;
  for (const count of counts) assert.ok(Math.abs(count - 10000) < 500, `count ${count}`);
});

test('RandomGenerator: normals have unit variance', () => {
  const generator = new RandomGenerator(11);
  let sum = 0;
  let squares = 0;
  const n = 100000;
  for (let i = 0; i < n; i++) {
    const value = generator.nextNormal();
    sum += value;
    squares += value * value;
  }
  assert.ok(Math.abs(sum / n) < 0.02);
  assert.ok(Math.abs(squares / n - 1) < 0.02);
});
