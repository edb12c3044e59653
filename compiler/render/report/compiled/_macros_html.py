# GENERATED from templates/_macros.html.j2 by `scripts/compile_templates.py`; do not edit.
# fmt: off
# ruff: noqa
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_macros.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_table = l_0_notes = l_0_chart = l_0_card = l_0_decision = missing
    try:
        t_1 = environment.filters['colwidths']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'colwidths' found.")
    try:
        t_2 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_3 = environment.filters['list']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'list' found.")
    try:
        t_4 = environment.filters['printable']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'printable' found.")
    try:
        t_5 = environment.filters['rows_html']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'rows_html' found.")
    try:
        t_6 = environment.filters['select']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No filter named 'select' found.")
    pass
    def macro(l_1_t, l_1_cls):
        t_7 = []
        l_1_medium = resolve('medium')
        l_1_kv = missing
        if l_1_t is missing:
            l_1_t = undefined("parameter 't' was not provided", name='t')
        if l_1_cls is missing:
            l_1_cls = ''
        pass
        l_1_t = context.call(environment.getattr((t_4(l_1_t) if ((undefined(name='medium') if l_1_medium is missing else l_1_medium) == 'pdf') else l_1_t), 'leading'))
        l_1_kv = (t_2(t_3(context.eval_ctx, t_6(context, environment.getattr(l_1_t, 'headers')))) == 0)
        t_7.extend((
            '<div class="scroll"><table class="',
            escape(('kv' if (undefined(name='kv') if l_1_kv is missing else l_1_kv) else 'cards')),
            escape((' wide' if (t_2(environment.getattr(l_1_t, 'headers')) > 8) else '')),
            ' ',
            escape(l_1_cls),
            '">\n',
        ))
        if environment.getattr(l_1_t, 'caption'):
            pass
            t_7.extend((
                '<caption>',
                escape(environment.getattr(l_1_t, 'caption')),
                '</caption>',
            ))
        if ((undefined(name='medium') if l_1_medium is missing else l_1_medium) == 'pdf'):
            pass
            t_7.append(
                '<colgroup>',
            )
            for l_2_w in t_1(l_1_t):
                _loop_vars = {}
                pass
                t_7.extend((
                    '<col style="width: ',
                    escape(l_2_w),
                    '%">',
                ))
            l_2_w = missing
            t_7.append(
                '</colgroup>',
            )
        if (not (undefined(name='kv') if l_1_kv is missing else l_1_kv)):
            pass
            t_7.append(
                '<thead><tr>',
            )
            l_2_loop = missing
            for l_2_h, l_2_loop in LoopContext(environment.getattr(l_1_t, 'headers'), undefined):
                _loop_vars = {}
                pass
                t_7.extend((
                    '<th class="',
                    escape(environment.getitem(environment.getattr(l_1_t, 'align'), environment.getattr(l_2_loop, 'index0'))),
                    '" scope="col">',
                    escape(l_2_h),
                    '</th>',
                ))
            l_2_loop = l_2_h = missing
            t_7.append(
                '</tr></thead>',
            )
        t_7.extend((
            '<tbody>\n',
            escape(t_5(l_1_t, (undefined(name='kv') if l_1_kv is missing else l_1_kv))),
            '</tbody></table></div>\n',
        ))
        return concat(t_7)
    context.exported_vars.add('table')
    context.vars['table'] = l_0_table = Macro(environment, macro, 'table', ('t', 'cls'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_items):
        t_8 = []
        if l_1_items is missing:
            l_1_items = undefined("parameter 'items' was not provided", name='items')
        pass
        if l_1_items:
            pass
            t_8.append(
                '<ul class="notes">\n',
            )
            for l_2_n in l_1_items:
                l_2__ = resolve('_')
                _loop_vars = {}
                pass
                t_8.extend((
                    '<li class="',
                    escape(environment.getattr(l_2_n, 'level')),
                    '"><span class="level">',
                    escape(environment.getitem({'error': context.call((undefined(name='_') if l_2__ is missing else l_2__), 'Error', _loop_vars=_loop_vars), 'warning': context.call((undefined(name='_') if l_2__ is missing else l_2__), 'Warning', _loop_vars=_loop_vars), 'info': context.call((undefined(name='_') if l_2__ is missing else l_2__), 'Note', _loop_vars=_loop_vars)}, environment.getattr(l_2_n, 'level'))),
                    escape(context.call((undefined(name='_') if l_2__ is missing else l_2__), ':', _loop_vars=_loop_vars)),
                    '</span>',
                    escape(environment.getattr(l_2_n, 'text')),
                    '</li>\n',
                ))
            l_2_n = l_2__ = missing
            t_8.append(
                '</ul>\n',
            )
        return concat(t_8)
    context.exported_vars.add('notes')
    context.vars['notes'] = l_0_notes = Macro(environment, macro, 'notes', ('items',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_c, l_1_with_table):
        t_9 = []
        if l_1_c is missing:
            l_1_c = undefined("parameter 'c' was not provided", name='c')
        if l_1_with_table is missing:
            l_1_with_table = True
        pass
        t_9.extend((
            '<div class="chartblock">\n<figure class="chart" id="',
            escape(environment.getattr(l_1_c, 'id')),
            '">\n<figcaption>',
            escape(environment.getattr(l_1_c, 'title')),
            '</figcaption>\n<div class="chartscroll">',
            escape(environment.getattr(l_1_c, 'svg')),
            '</div>\n<ul class="legend">\n',
        ))
        for l_2_item in environment.getattr(l_1_c, 'legend'):
            _loop_vars = {}
            pass
            if (environment.getattr(l_2_item, 'kind') == 'patch'):
                pass
                t_9.extend((
                    '<li><span class="swatch patch',
                    escape((' hatch' if environment.getattr(l_2_item, 'hatch') else '')),
                    '" style="background-color: ',
                    escape(environment.getattr(l_2_item, 'color')),
                ))
                if environment.getattr(l_2_item, 'opacity'):
                    pass
                    t_9.extend((
                        '; opacity: ',
                        escape(environment.getattr(l_2_item, 'opacity')),
                    ))
                t_9.extend((
                    '"></span>',
                    escape(environment.getattr(l_2_item, 'label')),
                    '</li>\n',
                ))
            elif (environment.getattr(l_2_item, 'kind') == 'ring'):
                pass
                t_9.extend((
                    '<li><span class="swatch ring" style="color: ',
                    escape(environment.getattr(l_2_item, 'color')),
                    '"></span>',
                    escape(environment.getattr(l_2_item, 'label')),
                    '</li>\n',
                ))
            elif (environment.getattr(l_2_item, 'kind') == 'arrow'):
                pass
                t_9.extend((
                    '<li><span class="swatch arrow" style="color: ',
                    escape(environment.getattr(l_2_item, 'color')),
                    '"></span>',
                    escape(environment.getattr(l_2_item, 'label')),
                    '</li>\n',
                ))
            elif (environment.getattr(l_2_item, 'kind') == 'diamond'):
                pass
                t_9.extend((
                    '<li><span class="swatch diamond" style="background-color: ',
                    escape(environment.getattr(l_2_item, 'color')),
                    '"></span>',
                    escape(environment.getattr(l_2_item, 'label')),
                    '</li>\n',
                ))
            else:
                pass
                t_9.extend((
                    '<li><span class="swatch line ',
                    escape(environment.getattr(l_2_item, 'dash')),
                    escape((' marker' if environment.getattr(l_2_item, 'marker') else '')),
                    '" style="color: ',
                    escape(environment.getattr(l_2_item, 'color')),
                    '"></span>',
                    escape(environment.getattr(l_2_item, 'label')),
                    '</li>\n',
                ))
        l_2_item = missing
        t_9.append(
            '</ul>\n</figure>\n',
        )
        if (l_1_with_table and environment.getattr(l_1_c, 'table')):
            pass
            t_9.append(
                escape(context.call((undefined(name='table') if l_0_table is missing else l_0_table), environment.getattr(l_1_c, 'table'))),
            )
        t_9.append(
            '</div>\n',
        )
        return concat(t_9)
    context.exported_vars.add('chart')
    context.vars['chart'] = l_0_chart = Macro(environment, macro, 'chart', ('c', 'with_table'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_m, l_1_with_architecture):
        t_10 = []
        l_1__ = resolve('_')
        if l_1_m is missing:
            l_1_m = undefined("parameter 'm' was not provided", name='m')
        if l_1_with_architecture is missing:
            l_1_with_architecture = True
        pass
        t_10.extend((
            '<p><strong>',
            escape(environment.getattr(l_1_m, 'display_name')),
            '</strong> (<code>',
            escape(environment.getattr(l_1_m, 'name')),
            '</code>):\n',
            escape(context.call((undefined(name='_') if l_1__ is missing else l_1__), '%(total)s parameters', total=environment.getattr(l_1_m, 'total'))),
        ))
        if environment.getattr(l_1_m, 'exact'):
            pass
            t_10.extend((
                ' (',
                escape(environment.getattr(l_1_m, 'total_exact')),
                ')',
            ))
        else:
            pass
            t_10.extend((
                ' — ',
                escape(context.call((undefined(name='_') if l_1__ is missing else l_1__), 'as given in the spec, no architecture')),
            ))
        t_10.append(
            '.\n',
        )
        if environment.getattr(l_1_m, 'active'):
            pass
            t_10.append(
                escape(context.call((undefined(name='_') if l_1__ is missing else l_1__), 'Active per token: %(active)s.', active=environment.getattr(l_1_m, 'active'))),
            )
        t_10.append(
            '</p>\n',
        )
        if environment.getattr(l_1_m, 'components'):
            pass
            t_10.append(
                escape(context.call((undefined(name='table') if l_0_table is missing else l_0_table), environment.getattr(l_1_m, 'components'))),
            )
        if (l_1_with_architecture and environment.getattr(l_1_m, 'architecture')):
            pass
            t_10.append(
                escape(context.call((undefined(name='table') if l_0_table is missing else l_0_table), environment.getattr(l_1_m, 'architecture'))),
            )
        return concat(t_10)
    context.exported_vars.add('card')
    context.vars['card'] = l_0_card = Macro(environment, macro, 'card', ('m', 'with_architecture'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_d):
        t_11 = []
        l_1__ = resolve('_')
        if l_1_d is missing:
            l_1_d = undefined("parameter 'd' was not provided", name='d')
        pass
        t_11.extend((
            '<div class="decision" id="decision" role="region" aria-label="',
            escape(context.call((undefined(name='_') if l_1__ is missing else l_1__), 'Decision')),
            '">\n',
        ))
        if environment.getattr(l_1_d, 'answers'):
            pass
            t_11.extend((
                '<h2>',
                escape(context.call((undefined(name='_') if l_1__ is missing else l_1__), 'Answers')),
                '</h2>\n',
                escape(context.call((undefined(name='table') if l_0_table is missing else l_0_table), environment.getattr(l_1_d, 'answers'))),
                '\n',
            ))
        if environment.getattr(l_1_d, 'card'):
            pass
            t_11.extend((
                '<div class="card">\n<h3>',
                escape(environment.getattr(l_1_d, 'card_title')),
                '</h3>\n',
                escape(context.call((undefined(name='table') if l_0_table is missing else l_0_table), environment.getattr(l_1_d, 'card'))),
                '\n</div>\n',
            ))
        if environment.getattr(l_1_d, 'risks'):
            pass
            t_11.extend((
                '<h3>',
                escape(context.call((undefined(name='_') if l_1__ is missing else l_1__), 'Risks and reality checks')),
                '</h3>\n',
                escape(context.call((undefined(name='notes') if l_0_notes is missing else l_0_notes), environment.getattr(l_1_d, 'risks'))),
                '\n',
            ))
        if environment.getattr(l_1_d, 'fleets'):
            pass
            t_11.extend((
                '<h3>',
                escape(context.call((undefined(name='_') if l_1__ is missing else l_1__), 'Serving fleets')),
                '</h3>\n',
                escape(context.call((undefined(name='table') if l_0_table is missing else l_0_table), environment.getattr(l_1_d, 'fleets'))),
                '\n',
            ))
        if environment.getattr(l_1_d, 'prices'):
            pass
            t_11.extend((
                '<h3>',
                escape(context.call((undefined(name='_') if l_1__ is missing else l_1__), 'Prices and their sources')),
                '</h3>\n',
                escape(context.call((undefined(name='table') if l_0_table is missing else l_0_table), environment.getattr(l_1_d, 'prices'))),
                '\n',
            ))
        if environment.getattr(l_1_d, 'sensitivity'):
            pass
            t_11.extend((
                '<h3>',
                escape(context.call((undefined(name='_') if l_1__ is missing else l_1__), 'Price sensitivity')),
                '</h3>\n',
                escape(context.call((undefined(name='table') if l_0_table is missing else l_0_table), environment.getattr(l_1_d, 'sensitivity'))),
                '\n',
            ))
        t_11.append(
            '</div>\n',
        )
        return concat(t_11)
    context.exported_vars.add('decision')
    context.vars['decision'] = l_0_decision = Macro(environment, macro, 'decision', ('d',), False, False, False, context.eval_ctx.autoescape)

blocks = {}
debug_info = '2=48&3=57&4=58&7=61&8=67&9=74&10=91&12=113&15=120&16=125&18=130&19=136&25=152&27=161&28=163&29=165&31=168&32=171&33=190&34=199&35=208&36=221&41=233&45=245&46=255&47=259&48=277&49=285&50=290&53=299&54=307&55=310&56=314&57=316&59=319&61=323&62=325&65=328&66=332&67=334&69=337&70=341&71=343&73=346&74=350&75=352&77=355&78=359&79=361'
