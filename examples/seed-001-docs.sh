# Seed 001, the parts examples/seed-001.sh does not cover: the official-docs paragraphs
# (headless Services with and without selectors, ExternalName), the `my-headless-service`
# configuration example, and the namespace the seed's transcript was taken in (`test`: its
# answers read `normal-service.test.svc.cluster.local`).
# Source: shared/seeds/001. Run: svclab run examples/seed-001-docs.sh
#
# 「headless service配置示例」: the seed's manifest, verbatim. Its selector `app: test-app`
# matches no pod yet, so the headless name has no ready endpoint and CoreDNS answers
# NXDOMAIN (spec §4.5: "No ready endpoints → NXDOMAIN"), shown with dig from the toolbox.
kubectl create namespace test
cat > my-headless-service.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: my-headless-service
spec:
  clusterIP: None # clusterIP指定为None
  selector:
    app: test-app
  ports:
    - protocol: TCP
      port: 80
      targetPort: 3000
EOF
kubectl apply -f my-headless-service.yaml -n test
kubectl get svc my-headless-service -n test
dig my-headless-service.test.svc.cluster.local | grep status
# 「带选择算符的服务」: with a selector the control plane creates EndpointSlices, and DNS
# answers A records for the ready pods. Pods labelled `app: test-app` make it so.
kubectl create deployment test-app --image=eddiehale/hellonodeapi --replicas=2 -n test
kubectl rollout status deployment/test-app -n test
kubectl get endpointslices -n test -l kubernetes.io/service-name=my-headless-service
# The seed's session, in namespace `test` as its transcript shows: the answers' names end in
# `.test.svc.cluster.local`.
kubectl run -it --image busybox:1.28.3 test --restart=Never --rm -n test /bin/sh
nslookup my-headless-service
exit
# 「无选择算符的服务 … 控制平面不会创建 EndpointSlice 对象」: a headless Service without a
# selector gets no EndpointSlice from the controller; DNS answers the ready addresses of the
# EndpointSlices the user writes (label `kubernetes.io/service-name`).
cat > no-selector.yaml << EOF
apiVersion: v1
kind: Service
metadata:
  name: no-selector
spec:
  clusterIP: None
  ports:
    - protocol: TCP
      port: 80
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: no-selector-1
  labels:
    kubernetes.io/service-name: no-selector
addressType: IPv4
ports:
  - name: ""
    protocol: TCP
    port: 80
endpoints:
  - addresses:
      - "10.1.2.3"
  - addresses:
      - "10.1.2.4"
EOF
kubectl apply -f no-selector.yaml -n test
kubectl get endpointslices -n test -l kubernetes.io/service-name=no-selector
# 「对于 type: ExternalName 服务，查找和配置其 CNAME 记录」
kubectl create service externalname my-database --external-name=db.example.com -n test
kubectl get svc -n test
kubectl run -it --image busybox:1.28.3 test --restart=Never --rm -n test /bin/sh
nslookup no-selector
exit
dig +noall +answer my-database.test.svc.cluster.local
