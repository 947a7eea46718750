import { describe, expect, it } from 'vitest';
import { readDictionary } from '../../src/text/toolkit.ts';
import { documentPlace, parsePlaces, questionPlace } from '../../src/text/places.ts';

const table = parsePlaces(readDictionary(undefined, 'places.txt'));

describe('places', () => {
  it('a document governs the place of its 文号, else of its title; national laws name none', () => {
    expect(documentPlace(table, '北京市特困人员救助供养实施办法', '京民社救发〔2017〕24号')).toBe('北京');
    expect(documentPlace(table, '国务院关于支持四川发展的意见', '国发〔2013〕30号')).toBe('');
    expect(documentPlace(table, '绵阳市保障性安居工程联席会议制度', '绵府办发〔2013〕53号')).toBe('四川');
    expect(documentPlace(table, '重庆市失业保险条例', '')).toBe('重庆');
    expect(documentPlace(table, '失业保险条例', '')).toBe('');
    expect(documentPlace(table, '某某办法', '某府发〔2013〕1号')).toBe('?');
  });

  it('a question names a place, asks for the national rule, or neither', () => {
    expect(questionPlace(table, '在重庆失业了能领多少个月')).toBe('重庆');
    expect(questionPlace(table, '按国家规定失业金去哪领')).toBe('');
    expect(questionPlace(table, '失业金去哪领')).toBeUndefined();
    // a city asks about its province's rules, and a city's regulation governs its province
    expect(questionPlace(table, '在杭州申请法律援助要什么材料')).toBe('浙江');
    expect(documentPlace(table, '清远市住宅小区物业管理条例', '')).toBe('广东');
  });
});
